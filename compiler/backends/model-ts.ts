// The typed companion `model.ts` emitted beside each addon: the layer names and shapes of this
// network as TypeScript constants and literal types, written with ts-morph. The addon's interface
// is not repeated here: its one definition is the runtime's (`import type { NativeModel } from
// "snnc"`, runtime/model/native.ts).

import { Project, VariableDeclarationKind } from "ts-morph";
import type { Plan } from "../plan/types.ts";
import { isWeighted } from "../ir/layers.ts";

export function emitModelTs(plan: Plan, backend: string, bannerText: string): string {
  const net = plan.network;
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile("model.ts", "", { overwrite: true });

  const layers = net.layers.map((l) => ({
    id: l.id,
    kind: l.kind,
    inShape: l.inShape,
    outShape: l.outShape,
    ...(isWeighted(l) ? { weights: l.weights.map((w) => ({ name: w.name, shape: w.shape })) } : {}),
  }));
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "info",
        initializer: `${JSON.stringify(
          { name: net.name, specHash: net.specHash, backend, steps: net.steps, inputs: net.input.size, classes: net.classes },
          null,
          2,
        )} as const`,
      },
    ],
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Every layer in spec order; `weights` names the tensors for getTensor/setTensor."],
    declarations: [{ name: "layers", initializer: `${JSON.stringify(layers, null, 2)} as const` }],
  });
  file.addTypeAlias({ isExported: true, name: "LayerId", type: "(typeof layers)[number][\"id\"]" });
  const weightNames = plan.weights.map((w) => JSON.stringify(w.name));
  file.addTypeAlias({ isExported: true, name: "WeightName", type: weightNames.join(" | ") || "never" });
  const spikingIds = plan.stages.flatMap((s) => (s.kind === "lif" ? [JSON.stringify(s.id)] : []));
  file.addTypeAlias({ isExported: true, name: "HiddenLayerId", type: spikingIds.join(" | ") || "never" });
  file.formatText({ indentSize: 2 });
  return `${bannerText}\n// model.ts: the layers of "${net.name}" and their shapes, for typed use of the addon.\n\n${file.getFullText()}`;
}
