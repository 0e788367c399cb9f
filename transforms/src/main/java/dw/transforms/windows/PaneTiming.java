package dw.transforms.windows;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * When an aggregate row was computed relative to its window, as written with every windowed row
 * (column {@code pane_timing}): {@code EARLY} while the window is open (provisional), {@code
 * ON_TIME} when the source's watermark passed the window's end (the data believed complete),
 * {@code LATE} for refinements by files that arrived after that. Together with {@code is_final}
 * (the window's allowed lateness has expired: the row will not change again) a dashboard can show
 * "provisional" honestly.
 */
public enum PaneTiming {
  EARLY,
  ON_TIME,
  LATE;

  /** The timing of a fired pane; a pane of a bounded run (no firing) is on time. */
  public static PaneTiming of(PaneInfo pane) {
    return switch (pane.getTiming()) {
      case EARLY -> EARLY;
      case LATE -> LATE;
      case ON_TIME, UNKNOWN -> ON_TIME;
    };
  }
}
