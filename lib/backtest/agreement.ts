import type { Direction } from '../outcomes';

/** A 7-day check of the backtest beside the truth its market could tell (null: not knowable). */
export interface JudgedCheck {
  direction: Direction;
  was_right: boolean;
  right_vs_control: boolean | null;
  /** Margin with the change minus without it over the check window, cents; null when not knowable. */
  truth_cents: number | null;
}

export interface AgreementFigure {
  /** Checks judged by this definition that also had a truth. */
  compared: number;
  agree: number;
  /** agree / compared, 3 decimals; null when nothing was compared. */
  rate: number | null;
}

export interface Agreement {
  /** Checks whose truth was knowable (campaign-level changes on the built-in market). */
  with_truth: number;
  was_right: AgreementFigure;
  /** Only checks that had a matched control: no control is no verdict. */
  right_vs_control: AgreementFigure;
}

/** The truth's verdict by the definitions' own rule: a raise must add margin, a cut must not lose any. */
export const truthRight = (direction: Direction, truthCents: number) =>
  direction === 'raise' ? truthCents > 0 : truthCents >= 0;

function figure(pairs: readonly [boolean, boolean][]): AgreementFigure {
  const agree = pairs.filter(([a, b]) => a === b).length;
  return {
    compared: pairs.length,
    agree,
    rate: pairs.length ? Math.round((agree / pairs.length) * 1000) / 1000 : null,
  };
}

/** How often each accuracy definition agrees with the truth; null when the market offers no counterfactual. */
export function agreementWithTruth(checks: readonly JudgedCheck[], knowable: boolean): Agreement | null {
  if (!knowable) return null;
  const known = checks.filter((c) => c.truth_cents !== null);
  const truth = (c: JudgedCheck) => truthRight(c.direction, c.truth_cents!);
  return {
    with_truth: known.length,
    was_right: figure(known.map((c) => [c.was_right, truth(c)])),
    right_vs_control: figure(
      known.filter((c) => c.right_vs_control !== null).map((c) => [c.right_vs_control!, truth(c)]),
    ),
  };
}
