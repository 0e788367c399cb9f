package dw.io.tables;

import static dw.io.warehouse.ColumnType.BOOLEAN;
import static dw.io.warehouse.ColumnType.DATE;
import static dw.io.warehouse.ColumnType.TEXT;
import static dw.io.warehouse.ColumnType.TIMESTAMP;

import dw.io.warehouse.Column;
import dw.io.warehouse.TableBinding;
import dw.io.warehouse.TableSpec;
import dw.transforms.licenses.LicenseChange;
import dw.transforms.licenses.LicenseRow;
import dw.transforms.licenses.LicenseState;
import dw.transforms.privacy.EmailPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;

/**
 * The warehouse tables of the {@code licenses} pipeline: per-date snapshots and changes (replaced
 * per snapshot date) and the de-duplicated licenses (upserted by license id). E-mail addresses are
 * stored through the {@link EmailPolicy}: {@code email_hash} always, {@code email} only with
 * {@code --storeEmailInClear}.
 */
public final class LicenseTables {
  private LicenseTables() {}

  private static List<Column> licenseColumns(Column... leading) {
    List<Column> c = new java.util.ArrayList<>(List.of(leading));
    c.addAll(
        List.of(
            Column.of("customer_id", TEXT),
            Column.of("company", TEXT),
            Column.of("number", TEXT),
            Column.of("email_hash", TEXT),
            Column.of("email", TEXT),
            Column.of("stripe_id", TEXT),
            Column.of("issued_at", TIMESTAMP),
            Column.of("expires_at", TIMESTAMP)));
    return c;
  }

  public static final TableSpec SNAPSHOTS =
      TableSpec.replaceScope(
          "license_snapshots",
          licenseColumns(Column.key("snapshot_date", DATE), Column.key("license_id", TEXT)),
          "snapshot_date",
          "snapshot_date",
          "license_id");

  public static final TableSpec LICENSES =
      TableSpec.upsert(
          "licenses",
          with(
              licenseColumns(Column.key("license_id", TEXT)),
              Column.of("first_seen_snapshot", DATE),
              Column.of("last_seen_snapshot", DATE),
              Column.of("in_latest_snapshot", BOOLEAN)),
          "license_id");

  public static final TableSpec CHANGES =
      TableSpec.replaceScope(
          "license_changes",
          List.of(
              Column.key("snapshot_date", DATE),
              Column.key("license_id", TEXT),
              Column.of("change_type", TEXT),
              Column.of("previous_snapshot_date", DATE),
              Column.of("previous_expires_at", TIMESTAMP),
              Column.of("expires_at", TIMESTAMP)),
          "snapshot_date",
          "snapshot_date",
          "license_id");

  private static List<Column> with(List<Column> columns, Column... more) {
    List<Column> c = new java.util.ArrayList<>(columns);
    c.addAll(List.of(more));
    return c;
  }

  public static List<TableSpec> all() {
    return List.of(SNAPSHOTS, LICENSES, CHANGES, SecurityTables.DEAD_LETTERS);
  }

  /** The eight exported values, typed, e-mail through the policy (after any leading key values). */
  private static Object[] values(LicenseRow r, EmailPolicy emails, int extra, Object... leading) {
    Object[] v = new Object[leading.length + 8 + extra];
    System.arraycopy(leading, 0, v, 0, leading.length);
    int i = leading.length;
    v[i++] = r.customerId();
    v[i++] = r.company();
    v[i++] = r.number();
    v[i++] = emails.hash(r.email());
    v[i++] = emails.clear(r.email());
    v[i++] = r.stripeId();
    v[i++] = Instant.ofEpochMilli(r.issuedAtMillis());
    v[i] = Instant.ofEpochMilli(r.expiresAtMillis());
    return v;
  }

  /** A complete snapshot (all rows of one date). */
  public static final class SnapshotBinding implements TableBinding<KV<Integer, List<LicenseRow>>> {
    private final EmailPolicy emails;

    public SnapshotBinding(EmailPolicy emails) {
      this.emails = emails;
    }

    @Override
    public TableSpec spec() {
      return SNAPSHOTS;
    }

    @Override
    public void rows(KV<Integer, List<LicenseRow>> snapshot, Consumer<Object[]> out) {
      LocalDate day = LocalDate.ofEpochDay(snapshot.getKey());
      for (LicenseRow r : snapshot.getValue()) {
        out.accept(values(r, emails, 0, day, r.licenseId()));
      }
    }

    @Override
    public Object scope(KV<Integer, List<LicenseRow>> snapshot) {
      return LocalDate.ofEpochDay(snapshot.getKey());
    }
  }

  public static final class LicenseBinding implements TableBinding<LicenseState> {
    private final EmailPolicy emails;

    public LicenseBinding(EmailPolicy emails) {
      this.emails = emails;
    }

    @Override
    public TableSpec spec() {
      return LICENSES;
    }

    @Override
    public void rows(LicenseState s, Consumer<Object[]> out) {
      Object[] v = values(s.latest(), emails, 3, s.latest().licenseId());
      v[9] = LocalDate.ofEpochDay(s.firstSeenEpochDay());
      v[10] = LocalDate.ofEpochDay(s.lastSeenEpochDay());
      v[11] = s.inLatestSnapshot();
      out.accept(v);
    }
  }

  /** The complete list of changes of one snapshot date. */
  public static final class ChangesBinding implements TableBinding<KV<Integer, List<LicenseChange>>> {
    @Override
    public TableSpec spec() {
      return CHANGES;
    }

    @Override
    public void rows(KV<Integer, List<LicenseChange>> day, Consumer<Object[]> out) {
      for (LicenseChange c : day.getValue()) {
        out.accept(
            new Object[] {
              LocalDate.ofEpochDay(c.snapshotEpochDay()),
              c.licenseId(),
              c.change(),
              LocalDate.ofEpochDay(c.previousSnapshotEpochDay()),
              c.previousExpiresAtMillis() == null ? null : Instant.ofEpochMilli(c.previousExpiresAtMillis()),
              c.expiresAtMillis() == null ? null : Instant.ofEpochMilli(c.expiresAtMillis())
            });
      }
    }

    @Override
    public Object scope(KV<Integer, List<LicenseChange>> day) {
      return LocalDate.ofEpochDay(day.getKey());
    }
  }
}
