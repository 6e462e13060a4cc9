// The one error every dataset reader throws for bad or missing input files. Users see only its
// message (the CLI prints it without a stack trace), so the message alone must say which file,
// where in it (byte offset or HDF5 dataset path, when known) and what was wrong, e.g.
//   data/train-images-idx3-ubyte.gz: byte 16: truncated image data (expected 47040000 bytes, got 1200)

export interface DataErrorWhere {
  /** Byte offset inside the file (for gzip files: inside the decompressed stream). */
  offset?: number;
  /** HDF5 dataset or group path, e.g. "spikes/times". */
  dataset?: string;
}

export class DataError extends Error {
  override readonly name = "DataError";
  /** The file or directory as the user named it (not resolved), so the message matches their command
   *  line; "" when no file is involved (e.g. a required --data option is missing). */
  readonly file: string;
  readonly offset?: number;
  readonly dataset?: string;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(file: string, detail: string, where: DataErrorWhere = {}) {
    const parts: string[] = [];
    if (file !== "") parts.push(file);
    if (where.dataset !== undefined) parts.push(`dataset ${where.dataset}`);
    if (where.offset !== undefined) parts.push(`byte ${where.offset}`);
    parts.push(detail);
    super(parts.join(": "));
    this.file = file;
    this.offset = where.offset;
    this.dataset = where.dataset;
    this.detail = detail;
  }
}
