// Holding a scripted model turn (the mock's `beforeTurn` hook) so a test can inject a fault at a point
// the agent cannot have passed: it is waiting on this very answer.

/** A turn the mock holds: `arrived` resolves when the agent asks for it; the answer waits for `release`. */
export interface HeldTurn {
  arrived: Promise<void>;
  release(): void;
}

/**
 * Model turns a test holds (the mock's `beforeTurn` hook): while the agent waits on an answer it is
 * mid-turn for sure, so a fault injected then cannot land before or after the point the test means.
 * Each hold catches the first request for its turn only (a restarted agent asks again, unheld).
 */
export class TurnGate {
  private readonly holds = new Map<string, { arrived: () => void; released: Promise<void> }>();

  readonly beforeTurn = async (session: number, turn: number): Promise<void> => {
    const key = `${session}:${turn}`;
    const hold = this.holds.get(key);
    if (!hold) return;
    this.holds.delete(key);
    hold.arrived();
    await hold.released;
  };

  /** Call before the run starts (so the request cannot come first). */
  hold(session: number, turn: number): HeldTurn {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.holds.set(`${session}:${turn}`, { arrived, released });
    return { arrived: arrivedP, release };
  }
}
