import { ChildProcess, spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built entry point (`dist/...`) as a person would, with a clean, explicit environment. */
export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RunResult> {
  return startNode(args, env, timeoutMs).result;
}

/** As runNode, with the child at hand (to signal it while it runs). */
export function startNode(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): { child: ChildProcess; result: Promise<RunResult> } {
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<RunResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, result };
}
