export interface RuntimeCopy {
  from: string | undefined;
  source: string;
  target: string;
}
export declare function runtimeCopies(dockerfileText: string): RuntimeCopy[];
export declare function productionPackages(lockText: string): string[];
export declare function layOutRuntime(options: { root: string; into: string; built?: Record<string, string> }): {
  copies: RuntimeCopy[];
};
