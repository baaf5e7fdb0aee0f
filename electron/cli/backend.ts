// Reaching the backend from a command: the socket the options name, one connection for the command's run.
import type { Command } from 'commander';
import { socketPath } from '../client/socket-path';
import { connectSocket, type SocketClient } from '../client/socket-client';

export interface GlobalOptions {
  socket?: string;
}

export function chosenSocket(command: Command): string {
  return socketPath(command.optsWithGlobals<GlobalOptions>().socket);
}

export function withBackend<T>(command: Command, use: (client: SocketClient) => Promise<T>): Promise<T> {
  return withSocket(chosenSocket(command), use);
}

/** One connection to the backend on `path` for `use`, closed after it. */
export async function withSocket<T>(path: string, use: (client: SocketClient) => Promise<T>): Promise<T> {
  const client = await connectSocket(path);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}
