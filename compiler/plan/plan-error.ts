/** A network the kernels cannot generate (as planned, or on the backend asked for): a user error. */
export class PlanError extends Error {
  override readonly name = "PlanError";
}
