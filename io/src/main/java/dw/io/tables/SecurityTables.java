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
import dw.transforms.common.DeadLetter;
import dw.transforms.daily.DayTotals;
import dw.transforms.daily.ServerDay;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
import dw.transforms.windows.Timed;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * The warehouse tables of the security-ping pipeline. Table and column names are an interface
 * (dashboards and SQL models read them): add columns, never rename.
 */
public final class SecurityTables {
  private SecurityTables() {}

  public static final TableSpec SERVER_DAILY =
      TableSpec.upsert(
          "security_server_daily",
          List.of(
              Column.key("log_date", DATE),
              Column.key("server_id", TEXT),
              Column.of("version_full", TEXT),
              Column.of("version_major", INTEGER),
              Column.of("version_minor", INTEGER),
              Column.of("version_patch", INTEGER),
              Column.of("build", TEXT),
              Column.of("edition", TEXT),
              Column.of("is_enterprise_ready", BOOLEAN),
              Column.of("database_type", TEXT),
              Column.of("operating_system", TEXT),
              Column.of("registered_users", BIGINT),
              Column.of("teams", BIGINT),
              Column.of("active_users", BIGINT),
              Column.of("max_active_users", BIGINT),
              Column.of("pings", BIGINT),
              Column.of("distinct_ips", INTEGER),
              Column.of("distinct_versions", INTEGER),
              Column.of("first_ping_at", TIMESTAMP),
              Column.of("last_ping_at", TIMESTAMP),
              Column.of("country_iso", TEXT),
              Column.of("country_name", TEXT),
              Column.of("subdivision_iso", TEXT),
              Column.of("subdivision_name", TEXT),
              Column.of("city", TEXT),
              Column.of("asn", BIGINT),
              Column.of("edge_location", TEXT),
              Column.of("exclusion_reasons", TEXT),
              Column.of("is_excluded", BOOLEAN),
              // added with the privacy rules (appended: existing tables gain them on start-up)
              Column.of("client_ip_hash", TEXT),
              Column.of("client_network", TEXT),
              Column.of("client_ip", TEXT),
              // added with the pane model (dw.transforms.windows.PaneTiming)
              Column.of("pane_timing", TEXT),
              Column.of("is_final", BOOLEAN)),
          "log_date",
          "server_id");

  public static final TableSpec DAILY_TOTALS =
      TableSpec.replaceScope(
          "security_daily_totals",
          List.of(
              Column.key("log_date", DATE),
              Column.key("version", TEXT),
              Column.key("edition", TEXT),
              Column.key("database_type", TEXT),
              Column.key("operating_system", TEXT),
              Column.key("country_iso", TEXT),
              Column.of("active_servers", BIGINT),
              Column.of("active_users", BIGINT),
              Column.of("max_active_users", BIGINT),
              Column.of("registered_users", BIGINT),
              Column.of("pane_timing", TEXT),
              Column.of("is_final", BOOLEAN)),
          "log_date",
          "log_date",
          "version",
          "edition",
          "database_type",
          "operating_system",
          "country_iso");

  public static final TableSpec DEAD_LETTERS =
      TableSpec.upsert(
          "dead_letters",
          List.of(
              Column.key("file", TEXT),
              Column.key("line_number", BIGINT),
              Column.of("pipeline", TEXT),
              Column.of("reason", TEXT),
              Column.of("raw_line", TEXT)),
          "file",
          "line_number");

  public static List<TableSpec> all() {
    return List.of(SERVER_DAILY, DAILY_TOTALS, DEAD_LETTERS);
  }

  /**
   * One row per (day, server). The latest ping's client IP was pseudonymized where it was read (see
   * {@link ClientIpPolicy}): {@code client_ip_hash} always, {@code client_network} only with {@code
   * --storeNetwork}, {@code client_ip} only with {@code --storeClientIpInClear}; the policy here
   * only withholds what the flags do not allow (e.g. a server-day restored from a savepoint of a job
   * that ran with other flags).
   */
  public static final class ServerDailyBinding implements TableBinding<Timed<ServerDay>> {
    private final ClientIpPolicy ips;

    public ServerDailyBinding(ClientIpPolicy ips) {
      if (ips == null) {
        throw new IllegalArgumentException("security_server_daily needs a client IP policy");
      }
      this.ips = ips;
    }

    @Override
    public long eventTimeMillis(Timed<ServerDay> d) {
      return d.value().lastPingMillis();
    }

    @Override
    public TableSpec spec() {
      return SERVER_DAILY;
    }

    @Override
    public void rows(Timed<ServerDay> t, Consumer<Object[]> out) {
      ServerDay d = t.value();
      SecurityPing p = d.latest();
      out.accept(
          new Object[] {
            LocalDate.ofEpochDay(p.logEpochDay()),
            p.serverId(),
            p.versionFull(),
            p.versionMajor(),
            p.versionMinor(),
            p.versionPatch(),
            p.build(),
            p.edition(),
            p.enterpriseReady(),
            p.database(),
            p.os(),
            p.registeredUsers(),
            p.teams(),
            p.activeUsers(),
            d.maxActiveUsers(),
            d.pings(),
            d.distinctIps(),
            d.distinctVersions(),
            Instant.ofEpochMilli(d.firstPingMillis()),
            Instant.ofEpochMilli(d.lastPingMillis()),
            p.countryIso(),
            p.countryName(),
            p.subdivisionIso(),
            p.subdivisionName(),
            p.city(),
            p.asn(),
            p.edgeLocation(),
            d.exclusionReasons(),
            d.excluded(),
            p.clientIpHash(),
            ips.storesNetwork() ? p.clientNetwork() : null,
            ips.storesInClear() ? p.clientIp() : null,
            t.timingName(),
            t.isFinal()
          });
    }
  }

  public static final class DailyTotalsBinding implements TableBinding<Timed<DayTotals>> {
    @Override
    public TableSpec spec() {
      return DAILY_TOTALS;
    }

    @Override
    public void rows(Timed<DayTotals> timed, Consumer<Object[]> out) {
      DayTotals t = timed.value();
      LocalDate day = LocalDate.ofEpochDay(t.logEpochDay());
      for (DayTotals.Row r : t.rows()) {
        out.accept(
            new Object[] {
              day,
              r.key().version(),
              r.key().edition(),
              r.key().database(),
              r.key().os(),
              r.key().countryIso(),
              r.activeServers(),
              r.activeUsers(),
              r.maxActiveUsers(),
              r.registeredUsers(),
              timed.timingName(),
              timed.isFinal()
            });
      }
    }

    @Override
    public Object scope(Timed<DayTotals> t) {
      return LocalDate.ofEpochDay(t.value().logEpochDay());
    }
  }

  public static final class DeadLetterBinding implements TableBinding<DeadLetter> {
    @Override
    public TableSpec spec() {
      return DEAD_LETTERS;
    }

    @Override
    public void rows(DeadLetter d, Consumer<Object[]> out) {
      out.accept(
          new Object[] {d.file(), d.lineNumber(), d.pipeline(), d.reason(), d.rawLine()});
    }
  }
}
