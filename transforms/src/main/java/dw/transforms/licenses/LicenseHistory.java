package dw.transforms.licenses;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One license through all snapshots: its {@link LicenseState} and its {@link LicenseChange}s. Pure
 * Java, for one license id at a time.
 */
public final class LicenseHistory {
  private LicenseHistory() {}

  /** What {@link #of} found. */
  public record Result(LicenseState state, List<LicenseChange> changes) {}

  /**
   * @param snapshotDays every snapshot date read (epoch days, ascending, distinct)
   * @param rows the license's rows, at most one per snapshot date (see {@link
   *     #firstPerSnapshot})
   * @param changesFrom first snapshot date whose changes are wanted
   * @param changesTo last snapshot date whose changes are wanted
   */
  public static Result of(List<Integer> snapshotDays, Iterable<LicenseRow> rows, int changesFrom, int changesTo) {
    TreeMap<Integer, LicenseRow> byDay = firstPerSnapshot(rows);
    if (byDay.isEmpty()) {
      throw new IllegalArgumentException("a license without rows");
    }
    int latestDay = snapshotDays.get(snapshotDays.size() - 1);
    LicenseRow last = byDay.lastEntry().getValue();
    LicenseState state =
        new LicenseState(last, byDay.firstKey(), byDay.lastKey(), byDay.lastKey() == latestDay);
    List<LicenseChange> changes = new ArrayList<>();
    for (int i = 1; i < snapshotDays.size(); i++) {
      int day = snapshotDays.get(i);
      if (day < changesFrom || day > changesTo) {
        continue;
      }
      int previous = snapshotDays.get(i - 1);
      LicenseRow now = byDay.get(day);
      LicenseRow before = byDay.get(previous);
      String id = last.licenseId();
      if (now != null && before == null) {
        changes.add(new LicenseChange(day, id, LicenseChange.APPEARED, previous, null, now.expiresAtMillis()));
      } else if (now == null && before != null) {
        changes.add(new LicenseChange(day, id, LicenseChange.DISAPPEARED, previous, before.expiresAtMillis(), null));
      } else if (now != null && now.expiresAtMillis() != before.expiresAtMillis()) {
        changes.add(
            new LicenseChange(
                day, id, LicenseChange.EXPIRY_CHANGED, previous, before.expiresAtMillis(), now.expiresAtMillis()));
      }
    }
    return new Result(state, changes);
  }

  /**
   * The license's row per snapshot date; when one date has it more than once (two files of one
   * date), the first in file order ({@link LicenseRow#FILE_ORDER}).
   */
  public static TreeMap<Integer, LicenseRow> firstPerSnapshot(Iterable<LicenseRow> rows) {
    TreeMap<Integer, LicenseRow> byDay = new TreeMap<>();
    for (LicenseRow r : rows) {
      byDay.merge(r.snapshotEpochDay(), r, (a, b) -> LicenseRow.FILE_ORDER.compare(a, b) <= 0 ? a : b);
    }
    return byDay;
  }
}
