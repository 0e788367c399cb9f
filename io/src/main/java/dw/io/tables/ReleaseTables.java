package dw.io.tables;

import static dw.io.warehouse.ColumnType.BIGINT;
import static dw.io.warehouse.ColumnType.BOOLEAN;
import static dw.io.warehouse.ColumnType.DATE;
import static dw.io.warehouse.ColumnType.INTEGER;
import static dw.io.warehouse.ColumnType.TEXT;
import static dw.io.warehouse.ColumnType.TIMESTAMP;

import dw.io.warehouse.Column;
import dw.io.warehouse.TableBinding;
import dw.io.warehouse.TableSpec;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.releases.DailyDownloads;
import dw.transforms.releases.ReleaseDownload;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;

/**
 * The warehouse tables of the {@code releases} pipeline. Both are replaced per UTC day (a re-run of
 * a day leaves them identical); table and column names are an interface: add columns, never rename.
 */
public final class ReleaseTables {
  private ReleaseTables() {}

  public static final TableSpec DOWNLOADS =
      TableSpec.replaceScope(
          "release_downloads",
          List.of(
              Column.key("request_id", TEXT),
              Column.key("log_date", DATE),
              Column.of("event_time", TIMESTAMP),
              Column.of("uri", TEXT),
              Column.of("download_type", TEXT),
              Column.of("operating_system", TEXT),
              Column.of("version", TEXT),
              Column.of("version_major", INTEGER),
              Column.of("version_minor", INTEGER),
              Column.of("version_patch", INTEGER),
              Column.of("response_bytes", BIGINT),
              Column.of("status", INTEGER),
              Column.of("client_ip_hash", TEXT),
              Column.of("client_network", TEXT),
              Column.of("client_ip", TEXT),
              Column.of("country_iso", TEXT),
              Column.of("country_name", TEXT),
              Column.of("subdivision_iso", TEXT),
              Column.of("subdivision_name", TEXT),
              Column.of("city", TEXT),
              Column.of("asn", BIGINT),
              Column.of("user_agent", TEXT),
              Column.of("ua_browser_family", TEXT),
              Column.of("ua_os_family", TEXT),
              Column.of("is_bot", BOOLEAN),
              Column.of("referrer_host", TEXT),
              Column.of("edge_location", TEXT)),
          "log_date",
          "request_id");

  public static final TableSpec DAILY =
      TableSpec.replaceScope(
          "release_downloads_daily",
          List.of(
              Column.key("log_date", DATE),
              Column.key("download_type", TEXT),
              Column.key("operating_system", TEXT),
              Column.key("version", TEXT),
              Column.key("country_iso", TEXT),
              Column.of("downloads", BIGINT),
              Column.of("distinct_clients", BIGINT),
              Column.of("bytes", BIGINT)),
          "log_date",
          "log_date",
          "download_type",
          "operating_system",
          "version",
          "country_iso");

  public static List<TableSpec> all() {
    return List.of(DOWNLOADS, DAILY, SecurityTables.DEAD_LETTERS);
  }

  /**
   * One day's downloads (the complete day): one row each, the client address through the {@link
   * ClientIpPolicy} (hash always; network and clear address only when asked for).
   */
  public static final class DownloadsBinding implements TableBinding<KV<Integer, List<ReleaseDownload>>> {
    private final ClientIpPolicy ips;

    public DownloadsBinding(ClientIpPolicy ips) {
      if (ips == null) {
        throw new IllegalArgumentException("release_downloads needs a client IP policy");
      }
      this.ips = ips;
    }

    @Override
    public TableSpec spec() {
      return DOWNLOADS;
    }

    @Override
    public void rows(KV<Integer, List<ReleaseDownload>> day, Consumer<Object[]> out) {
      for (ReleaseDownload d : day.getValue()) {
        out.accept(
            DOWNLOADS
                .row()
                .set("request_id", d.requestId())
                .set("log_date", LocalDate.ofEpochDay(d.logEpochDay()))
                .set("event_time", Instant.ofEpochMilli(d.eventTimeMillis()))
                .set("uri", d.uri())
                .set("download_type", d.downloadType())
                .set("operating_system", d.operatingSystem())
                .set("version", d.version())
                .set("version_major", d.versionMajor())
                .set("version_minor", d.versionMinor())
                .set("version_patch", d.versionPatch())
                .set("response_bytes", d.responseBytes())
                .set("status", d.status())
                .set("client_ip_hash", ips.hash(d.clientIp()))
                .set("client_network", ips.network(d.clientIp()))
                .set("client_ip", ips.clear(d.clientIp()))
                .set("country_iso", d.countryIso())
                .set("country_name", d.countryName())
                .set("subdivision_iso", d.subdivisionIso())
                .set("subdivision_name", d.subdivisionName())
                .set("city", d.city())
                .set("asn", d.asn())
                .set("user_agent", d.userAgent())
                .set("ua_browser_family", d.browserFamily())
                .set("ua_os_family", d.uaOsFamily())
                .set("is_bot", d.bot())
                .set("referrer_host", d.referrerHost())
                .set("edge_location", d.edgeLocation())
                .values());
      }
    }

    @Override
    public Object scope(KV<Integer, List<ReleaseDownload>> day) {
      return LocalDate.ofEpochDay(day.getKey());
    }
  }

  public static final class DailyBinding implements TableBinding<DailyDownloads> {
    @Override
    public TableSpec spec() {
      return DAILY;
    }

    @Override
    public void rows(DailyDownloads t, Consumer<Object[]> out) {
      LocalDate day = LocalDate.ofEpochDay(t.logEpochDay());
      for (DailyDownloads.Row r : t.rows()) {
        out.accept(
            DAILY
                .row()
                .set("log_date", day)
                .set("download_type", r.downloadType())
                .set("operating_system", r.operatingSystem())
                .set("version", r.version())
                .set("country_iso", r.countryIso())
                .set("downloads", r.downloads())
                .set("distinct_clients", r.distinctClients())
                .set("bytes", r.bytes())
                .values());
      }
    }

    @Override
    public Object scope(DailyDownloads t) {
      return LocalDate.ofEpochDay(t.logEpochDay());
    }
  }
}
