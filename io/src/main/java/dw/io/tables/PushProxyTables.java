package dw.io.tables;

import static dw.io.warehouse.ColumnType.BIGINT;
import static dw.io.warehouse.ColumnType.BOOLEAN;
import static dw.io.warehouse.ColumnType.TEXT;
import static dw.io.warehouse.ColumnType.TIMESTAMP;

import dw.io.warehouse.Column;
import dw.io.warehouse.TableBinding;
import dw.io.warehouse.TableSpec;
import dw.transforms.push.PushCountryHour;
import dw.transforms.push.PushHour;
import dw.transforms.push.PushHourStats;
import dw.transforms.windows.Timed;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The warehouse tables of the push-proxy pipeline (dead letters go to the shared {@code
 * dead_letters}, {@link SecurityTables#DEAD_LETTERS}, with {@code pipeline = 'push-proxy'}). Both
 * are hourly windowed aggregates, upserted per fired pane with its {@code pane_timing} and {@code
 * is_final}. Table and column names are an interface: add columns, never rename. Rows are bound by
 * column name ({@link dw.io.warehouse.NamedRow}).
 */
public final class PushProxyTables {
  private PushProxyTables() {}

  public static final TableSpec HOURLY =
      TableSpec.upsert(
          "push_proxy_hourly",
          List.of(
              Column.key("hour", TIMESTAMP),
              Column.key("deployment", TEXT),
              Column.key("route", TEXT),
              Column.of("aws_region", TEXT),
              Column.of("load_balancer", TEXT),
              Column.of("requests", BIGINT),
              Column.of("answered", BIGINT),
              Column.of("rate_limited", BIGINT),
              Column.of("client_errors", BIGINT),
              Column.of("server_errors", BIGINT),
              Column.of("target_p50_ms", BIGINT),
              Column.of("target_p95_ms", BIGINT),
              Column.of("target_p99_ms", BIGINT),
              Column.of("received_bytes", BIGINT),
              Column.of("sent_bytes", BIGINT),
              Column.of("pane_timing", TEXT),
              Column.of("is_final", BOOLEAN)),
          "hour",
          "deployment",
          "route");

  public static final TableSpec HOURLY_BY_COUNTRY =
      TableSpec.upsert(
          "push_proxy_hourly_by_country",
          List.of(
              Column.key("hour", TIMESTAMP),
              Column.key("deployment", TEXT),
              Column.key("route", TEXT),
              Column.key("country_iso", TEXT),
              Column.of("requests", BIGINT),
              Column.of("answered", BIGINT),
              Column.of("pane_timing", TEXT),
              Column.of("is_final", BOOLEAN)),
          "hour",
          "deployment",
          "route",
          "country_iso");

  public static List<TableSpec> all() {
    return List.of(HOURLY, HOURLY_BY_COUNTRY, SecurityTables.DEAD_LETTERS);
  }

  public static final class HourlyBinding implements TableBinding<Timed<PushHour>> {
    @Override
    public TableSpec spec() {
      return HOURLY;
    }

    @Override
    public void rows(Timed<PushHour> t, Consumer<Object[]> out) {
      PushHour h = t.value();
      PushHourStats s = h.stats();
      out.accept(
          HOURLY.row()
              .set("hour", Instant.ofEpochMilli(h.hourStartMillis()))
              .set("deployment", h.deployment())
              .set("route", h.route().code())
              .set("aws_region", s.regions())
              .set("load_balancer", s.loadBalancers())
              .set("requests", s.requests())
              .set("answered", s.answered())
              .set("rate_limited", s.rateLimited())
              .set("client_errors", s.clientErrors())
              .set("server_errors", s.serverErrors())
              .set("target_p50_ms", s.targetPercentileMillis(50))
              .set("target_p95_ms", s.targetPercentileMillis(95))
              .set("target_p99_ms", s.targetPercentileMillis(99))
              .set("received_bytes", s.receivedBytes())
              .set("sent_bytes", s.sentBytes())
              .set("pane_timing", t.timingName())
              .set("is_final", t.isFinal())
              .values());
    }
  }

  public static final class ByCountryBinding implements TableBinding<Timed<PushCountryHour>> {
    @Override
    public TableSpec spec() {
      return HOURLY_BY_COUNTRY;
    }

    @Override
    public void rows(Timed<PushCountryHour> t, Consumer<Object[]> out) {
      PushCountryHour c = t.value();
      out.accept(
          HOURLY_BY_COUNTRY.row()
              .set("hour", Instant.ofEpochMilli(c.hourStartMillis()))
              .set("deployment", c.deployment())
              .set("route", c.route().code())
              .set("country_iso", c.countryIso())
              .set("requests", c.requests())
              .set("answered", c.answered())
              .set("pane_timing", t.timingName())
              .set("is_final", t.isFinal())
              .values());
    }
  }
}
