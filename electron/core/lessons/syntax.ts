// Asks Python whether code compiles before it runs, so a syntax error is shown at its line in the editor
// instead of as a traceback from a run that never started.
import { spawn } from 'node:child_process';
import type { SyntaxProblem } from '../../../shared/model';

const CHECK_TIMEOUT_MS = 10_000;
// The source arrives on stdin; a SyntaxError (IndentationError, TabError too) prints one JSON line.
const PROGRAM = [
  'import json, sys',
  'src = sys.stdin.buffer.read()',
  'try:',
  '    compile(src, "lesson.py", "exec")',
  'except SyntaxError as e:',
  '    print(json.dumps({"line": e.lineno or 1, "column": e.offset or 1, "message": e.msg}))',
].join('\n');

/** null when the code compiles; a refusal Python could not explain is reported at line 1. */
export function findSyntaxError(python: string, code: string): Promise<SyntaxProblem | null> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', PROGRAM], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: CHECK_TIMEOUT_MS,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.stdin.on('error', () => undefined); // a Python that died early closed its stdin; 'close' tells the rest
    child.stdin.end(code);
    child.on('error', (error) => resolve({ line: 1, column: 1, message: error.message }));
    child.on('close', (status) => {
      if (out.trim() !== '') {
        const found = JSON.parse(out) as SyntaxProblem;
        resolve({ line: found.line, column: found.column, message: found.message });
      } else if (status === 0) {
        resolve(null);
      } else {
        resolve({
          line: 1,
          column: 1,
          message: err.trim().split('\n').at(-1) ?? `python exited with ${status}`,
        });
      }
    });
  });
}
