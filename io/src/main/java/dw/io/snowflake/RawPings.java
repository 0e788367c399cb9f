package dw.io.snowflake;

import dw.io.lake.LakeSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Snowflake's raw event table {@value #TABLE}: one row per parsed ping, with the columns of the
 * lake's Avro schema ({@link LakeSchema}, same names, same order, client IP through the same
 * policy), and the text of each value as it is staged for Snowpipe. The exclusion reasons (an
 * Avro array) are one comma-separated VARCHAR, as in {@code security_server_daily}.
 */
public final class RawPings {
  public static final String TABLE = LakeSchema.TABLE;

  private RawPings() {}

  /** Column names, in the schema's order. */
  public static List<String> columns() {
    List<String> out = new ArrayList<>();
    for (Schema.Field f : LakeSchema.schema().getFields()) {
      out.add(f.name());
    }
    return out;
  }

  public static String createTable() {
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(TABLE).append(" (");
    List<Schema.Field> fields = LakeSchema.schema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Schema.Field f = fields.get(i);
      sb.append("\n  ").append(f.name()).append(' ').append(sqlType(f.schema()));
      if (f.schema().getType() != Schema.Type.UNION) {
        sb.append(" NOT NULL");
      }
      sb.append(i + 1 < fields.size() ? "," : "");
    }
    return sb.append("\n)").toString();
  }

  static String sqlType(Schema s) {
    Schema t = nonNull(s);
    if (t.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return "TIMESTAMP_NTZ";
    }
    if (t.getLogicalType() instanceof LogicalTypes.Date) {
      return "DATE";
    }
    return switch (t.getType()) {
      case STRING, ARRAY -> "VARCHAR";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case BOOLEAN -> "BOOLEAN";
      default -> throw new IllegalStateException("no Snowflake type for Avro " + t);
    };
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    for (Schema b : s.getTypes()) {
      if (b.getType() != Schema.Type.NULL) {
        return b;
      }
    }
    throw new IllegalStateException("union without a non-null branch: " + s);
  }

  /** A lake record as the staged row's values (null stays null). */
  public static List<String> row(GenericRecord r) {
    List<Schema.Field> fields = LakeSchema.schema().getFields();
    List<String> out = new ArrayList<>(fields.size());
    for (Schema.Field f : fields) {
      Object v = r.get(f.name());
      Schema t = nonNull(f.schema());
      if (v == null) {
        out.add(null);
      } else if (t.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
        out.add(WriteToSnowflake.TIMESTAMP.format(Instant.ofEpochMilli((Long) v)));
      } else if (t.getLogicalType() instanceof LogicalTypes.Date) {
        out.add(LocalDate.ofEpochDay((Integer) v).toString());
      } else if (v instanceof List<?> list) {
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
          parts.add(String.valueOf(o));
        }
        out.add(String.join(",", parts));
      } else {
        out.add(v.toString());
      }
    }
    return out;
  }
}
