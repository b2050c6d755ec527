/** DI tokens of the read side (ports have no runtime identity). */
export const READ_MODEL_STORE = Symbol('ReadModelStore');
