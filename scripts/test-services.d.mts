// Types of scripts/test-services.mjs (plain JavaScript: the runner starts without tsx), for its tests.
export declare function importsModule(file: string, target: string, seen?: Map<string, boolean>): boolean;
export declare function startSharedServices(root: string, files: readonly string[], onLost?: (reason: string) => void): Promise<Record<string, string>>;
