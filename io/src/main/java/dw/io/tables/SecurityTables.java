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
 * (dashboards and SQL models read them): add columns, never rename. Rows are bound by column name
 * ({@link dw.io.warehouse.NamedRow}), so two columns of one type cannot be swapped silently.
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
          SERVER_DAILY.row()
              .set("log_date", LocalDate.ofEpochDay(p.logEpochDay()))
              .set("server_id", p.serverId())
              .set("version_full", p.versionFull())
              .set("version_major", p.versionMajor())
              .set("version_minor", p.versionMinor())
              .set("version_patch", p.versionPatch())
              .set("build", p.build())
              .set("edition", p.edition())
              .set("is_enterprise_ready", p.enterpriseReady())
              .set("database_type", p.database())
              .set("operating_system", p.os())
              .set("registered_users", p.registeredUsers())
              .set("teams", p.teams())
              .set("active_users", p.activeUsers())
              .set("max_active_users", d.maxActiveUsers())
              .set("pings", d.pings())
              .set("distinct_ips", d.distinctIps())
              .set("distinct_versions", d.distinctVersions())
              .set("first_ping_at", Instant.ofEpochMilli(d.firstPingMillis()))
              .set("last_ping_at", Instant.ofEpochMilli(d.lastPingMillis()))
              .set("country_iso", p.countryIso())
              .set("country_name", p.countryName())
              .set("subdivision_iso", p.subdivisionIso())
              .set("subdivision_name", p.subdivisionName())
              .set("city", p.city())
              .set("asn", p.asn())
              .set("edge_location", p.edgeLocation())
              .set("exclusion_reasons", d.exclusionReasons())
              .set("is_excluded", d.excluded())
              .set("client_ip_hash", p.clientIpHash())
              .set("client_network", ips.storesNetwork() ? p.clientNetwork() : null)
              .set("client_ip", ips.storesInClear() ? p.clientIp() : null)
              .set("pane_timing", t.timingName())
              .set("is_final", t.isFinal())
              .values());
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
            DAILY_TOTALS.row()
                .set("log_date", day)
                .set("version", r.key().version())
                .set("edition", r.key().edition())
                .set("database_type", r.key().database())
                .set("operating_system", r.key().os())
                .set("country_iso", r.key().countryIso())
                .set("active_servers", r.activeServers())
                .set("active_users", r.activeUsers())
                .set("max_active_users", r.maxActiveUsers())
                .set("registered_users", r.registeredUsers())
                .set("pane_timing", timed.timingName())
                .set("is_final", timed.isFinal())
                .values());
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
          DEAD_LETTERS.row()
              .set("file", d.file())
              .set("line_number", d.lineNumber())
              .set("pipeline", d.pipeline())
              .set("reason", d.reason())
              .set("raw_line", d.rawLine())
              .values());
    }
  }
}
