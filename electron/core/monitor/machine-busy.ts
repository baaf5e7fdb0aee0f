// How long the machine's cores have run processes since boot, from the `cpu` line of /proc/stat: what
// the processes a tick read must add up to, or some process it did not read has run (see ProcSource).
import { parseStatCpus } from './meters/cpu-times';
import { KeptFile } from './meters/kept-file';

export class MachineBusy {
  private readonly stat: KeptFile;

  constructor(
    private readonly clockTicks: number,
    proc = '/proc',
  ) {
    this.stat = new KeptFile(`${proc}/stat`);
  }

  /**
   * Nanoseconds spent in user, nice and system time over all cores (guest time is inside user), and how
   * many cores are counted; null when /proc/stat cannot be read. Interrupts and steal are left out: no
   * process is charged for them.
   */
  read(): { ns: number; cores: number } | null {
    try {
      const { all, cores } = parseStatCpus(this.stat.read());
      return {
        ns: ((all.user + all.nice + all.system) * 1e9) / this.clockTicks,
        cores: cores.filter(Boolean).length,
      };
    } catch {
      return null;
    }
  }

  close(): void {
    this.stat.close();
  }
}
