package dw.pipelines;

import dw.io.files.KeyLayout;
import dw.io.files.ListLogFiles;
import dw.io.tables.LicenseTables;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.WriteToWarehouse;
import dw.transforms.common.GroupIntoDays;
import dw.transforms.licenses.KeepFirstPerLicense;
import dw.transforms.licenses.LicenseChange;
import dw.transforms.licenses.LicenseFormat;
import dw.transforms.licenses.LicenseRow;
import dw.transforms.licenses.TraceLicenses;
import dw.transforms.logs.ReadLogFiles;
import dw.transforms.privacy.EmailPolicy;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code licenses}: nightly license exports → snapshots, licenses and their changes (bounded).
 *
 * <ol>
 *   <li>ListSnapshotFiles: every {@code <YYYY-MM-DD>/<anything><YYYY-MM-DD>.csv} under --input
 *       (one listing of the date folders, one per folder).
 *   <li>ParseLicenses: CSV by header name, rows validated, duplicates within a file filtered,
 *       invalid rows and files with a bad header to the dead letters ({@link ReadLogFiles}).
 *   <li>GroupSnapshots + KeepFirstPerLicense + WriteSnapshots: replace the snapshots of
 *       --from..--to in license_snapshots (a date without a usable file becomes empty).
 *   <li>TraceLicenses: every license through every snapshot read; WriteLicenses upserts
 *       licenses; GroupChanges + WriteChanges replace the changes of --from..--to.
 *   <li>WriteDeadLetters.
 * </ol>
 *
 * Every snapshot under --input is read on every run (the exports are small): the {@code licenses}
 * table and the changes then depend only on the input, never on which dates a run names, so re-runs
 * of any range leave them identical.
 */
public final class LicensesPipeline {
  public static final String NAME = LicenseFormat.PIPELINE;
  static final TupleTag<LicenseRow> ROWS = new TupleTag<>("rows") {};
  /** The listing range that takes every snapshot date. */
  static final int FIRST_DAY = (int) LocalDate.of(1970, 1, 1).toEpochDay();
  static final int LAST_DAY = (int) LocalDate.of(9999, 12, 31).toEpochDay();

  private LicensesPipeline() {}

  /** The validated configuration. */
  public record Config(LogSettings log, EmailPolicy emails) implements LogPipelineCommand.Settings {}

  public static Config validate(LicensesOptions o) {
    LogSettings log = ReleasesPipeline.validateBounded(o, NAME);
    return new Config(
        log, new EmailPolicy(log.clientIps().pseudonymizer(), Boolean.TRUE.equals(o.getStoreEmailInClear())));
  }

  public static void checkResources(LicensesOptions o, Config c) {
    WriteToWarehouse.ensureTables(c.log().warehouse(), LicenseTables.all());
  }

  public static void build(Pipeline p, LicensesOptions o, Config c) {
    LogSettings log = c.log();
    int from = log.fromEpochDay();
    int to = log.toEpochDay();
    PCollectionTuple parsed =
        p.apply("ListSnapshotFiles", ListLogFiles.forDays(log.input(), KeyLayout.SNAPSHOT_DAYS, FIRST_DAY, LAST_DAY))
            .apply("ParseLicenses", ReadLogFiles.of(new LicenseFormat(c.emails()), ROWS));
    PCollection<LicenseRow> rows = parsed.get(ROWS);

    rows.apply("SelectSnapshotDates", Filter.by((LicenseRow r) -> r.snapshotEpochDay() >= from && r.snapshotEpochDay() <= to))
        .apply(
            "KeyBySnapshotDate",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(LicenseRow.class)))
                .via((LicenseRow r) -> KV.of(r.snapshotEpochDay(), r)))
        .setCoder(KvCoder.of(VarIntCoder.of(), LicenseRow.Coder.of()))
        .apply("GroupSnapshots", GroupIntoDays.<LicenseRow>of(from, to, (a, b) -> LicenseRow.FILE_ORDER.compare(a, b)))
        .apply("KeepFirstPerLicense", ParDo.of(new KeepFirstPerLicense()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(LicenseRow.Coder.of())))
        .apply("WriteSnapshots", WriteToWarehouse.to(log.warehouse(), new LicenseTables.SnapshotBinding(c.emails())));

    PCollectionTuple traced = rows.apply("TraceLicenses", new TraceLicenses(from, to));
    traced
        .get(TraceLicenses.STATES)
        .apply("WriteLicenses", WriteToWarehouse.to(log.warehouse(), new LicenseTables.LicenseBinding(c.emails())));
    traced
        .get(TraceLicenses.CHANGES)
        .apply(
            "GroupChanges",
            GroupIntoDays.<LicenseChange>of(from, to, (a, b) -> a.licenseId().compareTo(b.licenseId())))
        .apply("WriteChanges", WriteToWarehouse.to(log.warehouse(), new LicenseTables.ChangesBinding()));

    parsed
        .get(ReadLogFiles.DEAD_LETTERS)
        .apply("WriteDeadLetters", WriteToWarehouse.to(log.warehouse(), new SecurityTables.DeadLetterBinding()));
  }

}
