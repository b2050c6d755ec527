export interface LogisticRegressionParameters {
  /** Per-feature centre and scale (training mean and standard deviation). */
  mean: number[];
  scale: number[];
  /** Coefficients on the standardised features, and the intercept. */
  coefficients: number[];
  intercept: number;
}

export interface LogisticRegressionTraining {
  l2: number;
  learningRate: number;
  iterations: number;
}

/**
 * L2-penalised logistic regression by full-batch gradient descent on standardised features:
 * minimises mean log-loss + (l2 / 2)·|w|² (intercept not penalised).
 */
export function trainLogisticRegression(
  rows: readonly number[][],
  labels: readonly boolean[],
  training: LogisticRegressionTraining,
): LogisticRegressionParameters {
  const n = rows.length;
  const width = (rows[0] as number[]).length;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / n);
  const scale = Array.from({ length: width }, (_, j) =>
    Math.sqrt(rows.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / (n - 1)),
  );
  const z = rows.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number)));
  const w = new Array<number>(width).fill(0);
  let b = 0;
  for (let iteration = 0; iteration < training.iterations; iteration += 1) {
    const gradW = new Array<number>(width).fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i += 1) {
      const zi = z[i] as number[];
      let logit = b;
      for (let j = 0; j < width; j += 1) logit += (w[j] as number) * (zi[j] as number);
      const residual = sigmoid(logit) - (labels[i] ? 1 : 0);
      for (let j = 0; j < width; j += 1) gradW[j] = (gradW[j] as number) + residual * (zi[j] as number);
      gradB += residual;
    }
    for (let j = 0; j < width; j += 1) {
      w[j] = (w[j] as number) - training.learningRate * ((gradW[j] as number) / n + training.l2 * (w[j] as number));
    }
    b -= training.learningRate * (gradB / n);
  }
  return { mean, scale, coefficients: w, intercept: b };
}

export function predictLogisticRegression(parameters: LogisticRegressionParameters, row: readonly number[]): number {
  let logit = parameters.intercept;
  row.forEach((v, j) => {
    logit += (parameters.coefficients[j] as number) * ((v - (parameters.mean[j] as number)) / (parameters.scale[j] as number));
  });
  return sigmoid(logit);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
