export interface Issued {
  cert: string;
  key: string;
}
export declare function makeCertificates(
  dir: string,
  options?: { clients?: string[] },
): { ca: string; server: Issued; clients: Record<string, Issued> };
