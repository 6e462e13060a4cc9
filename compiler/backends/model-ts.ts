// The typed wrapper `model.ts` emitted beside each addon: the layer names and shapes of this
// network as TypeScript constants and literal types, written with ts-morph.

import { Project, VariableDeclarationKind } from "ts-morph";
import type { Plan } from "../plan/types.ts";

export function emitModelTs(plan: Plan, backend: string, bannerText: string): string {
  const net = plan.network;
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile("model.ts", "", { overwrite: true });
  file.insertText(0, `${bannerText}\n// model.ts: the layers of "${net.name}" and their shapes, for typed use of the addon.\n\n`);

  const layers = net.layers.map((l) => ({
    id: l.id,
    kind: l.kind,
    inShape: l.inShape,
    outShape: l.outShape,
    ...("weight" in l ? { weight: l.weight.name, weightShape: l.weight.shape } : {}),
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
    docs: ["Every layer in spec order; `weight` names the tensor for getTensor/setTensor."],
    declarations: [{ name: "layers", initializer: `${JSON.stringify(layers, null, 2)} as const` }],
  });
  file.addTypeAlias({ isExported: true, name: "LayerId", type: "(typeof layers)[number][\"id\"]" });
  const weightNames = net.layers.flatMap((l) => ("weight" in l ? [JSON.stringify(l.weight.name)] : []));
  file.addTypeAlias({ isExported: true, name: "WeightName", type: weightNames.join(" | ") || "never" });
  const hiddenIds = plan.hidden.map((h) => JSON.stringify(h.layer.id));
  file.addTypeAlias({ isExported: true, name: "HiddenLayerId", type: hiddenIds.join(" | ") || "never" });
  file.addInterface({
    isExported: true,
    name: "NativeModel",
    docs: ["The addon's Model class (addon.cpp)."],
    methods: [
      { name: "loadBatch", parameters: [{ name: "offsets", type: "Uint32Array" }, { name: "indices", type: "Uint32Array" }, { name: "labels", type: "Int32Array" }], returnType: "void" },
      { name: "forward", returnType: "Float64Array" },
      { name: "backward", returnType: "void" },
      { name: "adamStep", parameters: [{ name: "stepSize", type: "number" }, { name: "epsHat", type: "number" }], returnType: "void" },
      { name: "trainStep", parameters: [{ name: "stepSize", type: "number" }, { name: "epsHat", type: "number" }], returnType: "Float64Array" },
      { name: "getTensor", parameters: [{ name: "name", type: "string" }], returnType: "ArrayBuffer" },
      { name: "setTensor", parameters: [{ name: "name", type: "string" }, { name: "data", type: "ArrayBufferView" }], returnType: "void" },
      { name: "bufferBytes", returnType: "number" },
      { name: "profile", parameters: [{ name: "on", type: "boolean" }], returnType: "void" },
      { name: "kernelTimes", returnType: "[string, number][]" },
      { name: "dispose", returnType: "void" },
    ],
  });
  file.formatText({ indentSize: 2 });
  return file.getFullText();
}
