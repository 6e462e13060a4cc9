// A training loop written by hand with snnc as a library: tiny.json on the CPU backend, three
// epochs of Adam on its synthetic task, test accuracy and hidden-layer activity after each.
// Run from the repository: npx tsx examples/custom-loop.ts
import { epochBatches, loadNetworkData, openNetwork } from "snnc";

const opened = await openNetwork("models/tiny.json", { backend: "cpu" }); // compiles and builds if stale
const { batch, seed, adam } = opened.network.training; // the spec's: 4, 0, lr 0.01
const model = opened.create(); // buffers for that batch, weights from the spec's init and seed
const data = await loadNetworkData(opened.network);

for (let epoch = 0; epoch < 3; epoch++) {
  for (const b of epochBatches(data.train, batch, seed, epoch)) model.trainStep(b, adam.lr);
  let correct = 0;
  let active = 0;
  for (const b of epochBatches(data.test, batch, seed, 0)) {
    const stats = model.forward(b);
    correct += stats.correct;
    active += stats.layers[0].active;
  }
  const cells = data.test.length * opened.network.steps * 8; // l1 has 8 neurons
  console.log(`epoch ${epoch + 1}: test accuracy ${((100 * correct) / data.test.length).toFixed(1)}%, l1 active ${((100 * active) / cells).toFixed(1)}%`);
}
model.dispose();
