// Reading many small files (N-MNIST: 70 000 files of ~20 kB) into one reused buffer. readFileSync
// allocates a new Buffer per file, stats it first and leaves the old ones to the GC: 19–68 µs a
// file on the development machine, against 15 µs for open + read into a buffer kept from the last
// file + close (measured on 1000 files of 20 kB, in the page cache).

import { closeSync, openSync, readSync } from "node:fs";

export class FileReader {
  private buffer: Uint8Array;

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity);
  }

  /** The bytes of `file`: a view into this reader's buffer, valid until its next read. Errors are
   *  fs's own (ENOENT, EACCES, EISDIR, …) for the caller to word. */
  read(file: string): Uint8Array {
    const fd = openSync(file, "r");
    try {
      let n = 0;
      for (;;) {
        if (n === this.buffer.length) {
          const grown = new Uint8Array(this.buffer.length * 2);
          grown.set(this.buffer);
          this.buffer = grown;
        }
        const got = readSync(fd, this.buffer, n, this.buffer.length - n, null);
        if (got === 0) return this.buffer.subarray(0, n);
        n += got;
      }
    } finally {
      closeSync(fd);
    }
  }
}
