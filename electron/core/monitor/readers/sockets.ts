// Listening ports and open connections per process: its socket inodes (read from /proc/PID/fd by
// fd-scan) joined with the kernel's socket tables in /proc/PID/net (its own network
// namespace, so a container's sockets are found in its tables, not the host's).
import { readProcText } from '../proc-file';
import { scanFds } from './fd-scan';

export type SocketProto = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'unix';

export interface InetSocket {
  proto: Exclude<SocketProto, 'unix'>;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** TCP's state in words (`LISTEN`, `ESTABLISHED`…); UDP's `LISTEN` when unconnected, else `ESTABLISHED`. */
  state: string;
  inode: number;
}

export interface UnixSocket {
  proto: 'unix';
  /** The bound path (`@name` for an abstract one), or '' for an unnamed end. */
  path: string;
  listening: boolean;
  inode: number;
}

export type Socket = InetSocket | UnixSocket;

export interface ProcessSockets {
  listening: Socket[];
  connections: Socket[];
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};
/** __SO_ACCEPTCON in /proc/net/unix's Flags: the socket listens. */
const SO_ACCEPTCON = 0x10000;

/** `0100007F` → 127.0.0.1; IPv6 is four such little-endian words. */
function address(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // The longest run of zero groups becomes `::`, as inet_ntop writes it.
  const text = groups.join(':');
  const runs = text.match(/(?:^|:)0(?::0)+(?::|$)/g) ?? [];
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest ? text.replace(longest, '::') : text;
}

/** One line of /proc/net/tcp, tcp6, udp or udp6 (not the header); null when it has too few fields. */
export function parseInetLine(proto: InetSocket['proto'], line: string): InetSocket | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 10) return null;
  const [localHex, localPort] = f[1]!.split(':');
  const [remoteHex, remotePort] = f[2]!.split(':');
  const st = f[3]!;
  const tcp = proto.startsWith('tcp');
  return {
    proto,
    localAddress: address(localHex!),
    localPort: parseInt(localPort!, 16),
    remoteAddress: address(remoteHex!),
    remotePort: parseInt(remotePort!, 16),
    state: tcp ? (TCP_STATES[st] ?? st) : parseInt(remotePort!, 16) === 0 ? 'LISTEN' : 'ESTABLISHED',
    inode: Number(f[9]),
  };
}

/** One line of /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`. */
export function parseUnixLine(line: string): UnixSocket | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 7) return null;
  return {
    proto: 'unix',
    path: f[7] ?? '',
    listening: (parseInt(f[3]!, 16) & SO_ACCEPTCON) !== 0,
    inode: Number(f[6]),
  };
}

/** Where each table keeps its inode: the 10th field of the inet tables, the 7th of unix's. */
const INODE_FIELD: Record<SocketProto, number> = { tcp: 9, tcp6: 9, udp: 9, udp6: 9, unix: 6 };

/**
 * The number in whitespace-separated field `field` (from 0) of `text` between `from` and `to`, without
 * splitting the line: a busy host's tables have thousands of lines, of which few are ever asked about.
 */
function numberField(text: string, from: number, to: number, field: number): number {
  let i = from;
  for (let seen = -1; i < to;) {
    while (i < to && text.charCodeAt(i) === 0x20) i++;
    if (++seen === field) break;
    while (i < to && text.charCodeAt(i) !== 0x20) i++;
  }
  let value = 0;
  let digits = 0;
  for (; i < to; i++, digits++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return digits > 0 ? value : -1;
}

/** A table's line, parsed only once a process is found to hold its socket. */
interface TableLine {
  proto: SocketProto;
  line: string;
  socket?: Socket | null;
}

function isListening(socket: Socket): boolean {
  return socket.proto === 'unix' ? socket.listening : socket.state === 'LISTEN';
}

/**
 * The tables in the order they are read, cheapest first. Reading /proc/net/tcp or tcp6 walks the
 * kernel's whole established-connections hash, sized by memory: 4–5 ms each on a 24 GiB host however few
 * sockets there are, against a tenth of a millisecond for the others.
 */
const TABLES: readonly SocketProto[] = ['unix', 'udp', 'udp6', 'tcp', 'tcp6'];

/** One namespace's tables: each socket's line by inode, from the tables read so far. */
interface Namespace {
  base: string;
  lines: Map<number, TableLine>;
  /** How many of TABLES have been read. */
  read: number;
}

/**
 * Socket tables by network namespace: every process of one namespace shares them, so each is read at
 * most once per namespace per `refresh()` (the caller's pace: ports change slowly), and only once a
 * socket was not found in the cheaper ones.
 */
export class SocketTables {
  private readonly byNamespace = new Map<string, Namespace>();

  constructor(private readonly proc = '/proc') {}

  /** Drops the tables read so far; the next lookup reads them again. */
  refresh(): void {
    this.byNamespace.clear();
  }

  /** The sockets `pid` holds, split into listening and the rest; null when its fds are not ours to read. */
  of(pid: number): ProcessSockets | null {
    const scan = scanFds(pid, this.proc);
    return 'unreadable' in scan ? null : this.lookup(pid, scan.sockets, scan.netns);
  }

  /** The sockets of these inodes in the tables of namespace `netns` (read through `pid` when not ours). */
  lookup(pid: number, inodes: readonly number[], netns: string): ProcessSockets {
    const result: ProcessSockets = { listening: [], connections: [] };
    // No socket, no table to read.
    if (inodes.length === 0) return result;
    const namespace = this.namespaceOf(pid, netns);
    for (const inode of new Set(inodes)) {
      const entry = lineOf(namespace, inode);
      if (!entry) continue;
      if (entry.socket === undefined)
        entry.socket =
          entry.proto === 'unix' ? parseUnixLine(entry.line) : parseInetLine(entry.proto, entry.line);
      if (entry.socket)
        (isListening(entry.socket) ? result.listening : result.connections).push(entry.socket);
    }
    return result;
  }

  private namespaceOf(pid: number, netns: string): Namespace {
    const key = netns || 'self';
    let namespace = this.byNamespace.get(key);
    if (!namespace) {
      const base = key === 'self' ? `${this.proc}/net` : `${this.proc}/${pid}/net`;
      namespace = { base, lines: new Map(), read: 0 };
      this.byNamespace.set(key, namespace);
    }
    return namespace;
  }
}

/**
 * The line of the socket `inode`, reading the namespace's next tables until it is found; undefined when
 * no table has it (a netlink or packet socket, or one closed since its fd was read).
 */
function lineOf(namespace: Namespace, inode: number): TableLine | undefined {
  let entry = namespace.lines.get(inode);
  while (entry === undefined && namespace.read < TABLES.length) {
    readTable(namespace, TABLES[namespace.read++]!);
    entry = namespace.lines.get(inode);
  }
  return entry;
}

/** Adds a table's lines by inode; only the inode of each line is read here. */
function readTable(namespace: Namespace, proto: SocketProto): void {
  const text = readOrEmpty(`${namespace.base}/${proto}`);
  // The first line is the header.
  for (let start = text.indexOf('\n') + 1; start > 0 && start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const inode = numberField(text, start, end, INODE_FIELD[proto]);
    if (inode > 0) namespace.lines.set(inode, { proto, line: text.slice(start, end) });
    start = end + 1;
  }
}

/** A table the kernel does not have (no IPv6) reads as empty. */
function readOrEmpty(path: string): string {
  try {
    return readProcText(path);
  } catch {
    return '';
  }
}
