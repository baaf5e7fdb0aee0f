// A program's own log settings from the stack file (`log_dir`, `log_rotation`, `webhook`), found by
// the name its child runs under (a replica's name included).
import { dirname, join, resolve } from 'node:path';
import { replicaName, type Stack } from '../programs/load';
import { programDirName } from './paths';
import type { LogLimits } from './writer';

export interface ProgramLogs {
  /** Absolute; absent for the settings' log folder. */
  dir?: string;
  limits: Partial<LogLimits>;
  /** Told besides the settings' webhook; absent for none. */
  webhookUrl?: string;
}

export function programLogsOf(stack: Stack | null, childName: string): ProgramLogs | null {
  if (!stack) return null;
  for (const program of stack.programs.values()) {
    const { replicas, log_dir: logDir, log_rotation: rotation, webhook } = program.def;
    for (let i = 0; i < replicas; i++) {
      if (replicaName(program.name, replicas, i) !== childName) continue;
      const root = logDir === undefined ? undefined : resolve(dirname(stack.file), logDir);
      return {
        // Replicas share the program's folder, each in a subfolder, never one file between two writers.
        ...(root !== undefined && { dir: replicas === 1 ? root : join(root, programDirName(childName)) }),
        limits: {
          ...(rotation?.max_bytes !== undefined && { maxBytes: rotation.max_bytes }),
          ...(rotation?.max_files !== undefined && { maxFiles: rotation.max_files }),
        },
        ...(webhook !== undefined && webhook !== '' && { webhookUrl: webhook }),
      };
    }
  }
  return null;
}
