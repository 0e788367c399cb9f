package dw.io.tables;

import static dw.io.warehouse.ColumnType.BOOLEAN;
import static dw.io.warehouse.ColumnType.DATE;
import static dw.io.warehouse.ColumnType.TEXT;
import static dw.io.warehouse.ColumnType.TIMESTAMP;

import dw.io.warehouse.Column;
import dw.io.warehouse.NamedRow;
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

  /** The eight exported values, typed, e-mail through the policy. */
  private static NamedRow values(NamedRow row, LicenseRow r, EmailPolicy emails) {
    return row.set("license_id", r.licenseId())
        .set("customer_id", r.customerId())
        .set("company", r.company())
        .set("number", r.number())
        .set("email_hash", emails.hash(r.email()))
        .set("email", emails.clear(r.email()))
        .set("stripe_id", r.stripeId())
        .set("issued_at", Instant.ofEpochMilli(r.issuedAtMillis()))
        .set("expires_at", Instant.ofEpochMilli(r.expiresAtMillis()));
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
        out.accept(values(SNAPSHOTS.row().set("snapshot_date", day), r, emails).values());
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
      out.accept(
          values(LICENSES.row(), s.latest(), emails)
              .set("first_seen_snapshot", LocalDate.ofEpochDay(s.firstSeenEpochDay()))
              .set("last_seen_snapshot", LocalDate.ofEpochDay(s.lastSeenEpochDay()))
              .set("in_latest_snapshot", s.inLatestSnapshot())
              .values());
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
            CHANGES
                .row()
                .set("snapshot_date", LocalDate.ofEpochDay(c.snapshotEpochDay()))
                .set("license_id", c.licenseId())
                .set("change_type", c.change())
                .set("previous_snapshot_date", LocalDate.ofEpochDay(c.previousSnapshotEpochDay()))
                .set("previous_expires_at", c.previousExpiresAtMillis() == null ? null : Instant.ofEpochMilli(c.previousExpiresAtMillis()))
                .set("expires_at", c.expiresAtMillis() == null ? null : Instant.ofEpochMilli(c.expiresAtMillis()))
                .values());
      }
    }

    @Override
    public Object scope(KV<Integer, List<LicenseChange>> day) {
      return LocalDate.ofEpochDay(day.getKey());
    }
  }
}
