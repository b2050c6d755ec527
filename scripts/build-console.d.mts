/** Types of scripts/build-console.mjs for the TypeScript tests that build the console first. */
export declare function buildConsole(options?: { force?: boolean }): Promise<{ built: boolean; ms: number; out: string }>;
