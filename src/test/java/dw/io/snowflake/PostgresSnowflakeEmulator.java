package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Test double at the Snowflake network boundary: runs the sink's statements in one PostgreSQL
 * transaction. {@code COPY INTO} is emulated as Snowflake would run it with the file format the
 * sink sends (gzip CSV, fields optionally enclosed in single quotes with a doubled quote inside,
 * empty unenclosed field = NULL, column count must match): it reads the real staged files. DDL is
 * translated (TRANSIENT dropped, TIMESTAMP_NTZ → TIMESTAMP); MERGE, DELETE … USING and INSERT …
 * SELECT run verbatim. Every statement is recorded. The PostgreSQL URL (with currentSchema) comes
 * from the system property {@value #URL_PROPERTY}.
 */
public final class PostgresSnowflakeEmulator implements SnowflakeSqlExecutor {
  public static final String URL_PROPERTY = "dw.test.snowflake.pgUrl";
  public static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());
  static final String FILE_FORMAT =
      "TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27'"
          + " EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE";
  private static final Pattern COPY =
      Pattern.compile(
          "COPY INTO (\\w+) \\(([^)]*)\\) FROM '([^']*)' STORAGE_INTEGRATION = (\\w+) FILES = \\((.*?)\\)"
              + " FILE_FORMAT = \\((.*)\\) ON_ERROR = ABORT_STATEMENT");

  @Override
  public void runInTransaction(SnowflakeConfig config, List<String> statements) throws Exception {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null) {
      throw new IllegalStateException("set " + URL_PROPERTY);
    }
    STATEMENTS.addAll(statements);
    try (Connection c = DriverManager.getConnection(url + "&stringtype=unspecified")) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : statements) {
          Matcher m = COPY.matcher(sql);
          if (sql.startsWith("COPY INTO")) {
            if (!m.matches()) {
              throw new IllegalArgumentException("unexpected COPY statement: " + sql);
            }
            assertEquals(FILE_FORMAT, m.group(6), "file format the emulator implements");
            copyInto(c, m.group(1), m.group(2).split(", "), m.group(3), m.group(5));
          } else {
            st.execute(sql.replace("CREATE TRANSIENT TABLE", "CREATE TABLE").replace("TIMESTAMP_NTZ", "TIMESTAMP"));
          }
        }
      }
      c.commit();
    }
  }

  private static void copyInto(Connection c, String table, String[] cols, String dir, String fileList)
      throws Exception {
    String placeholders = String.join(", ", Collections.nCopies(cols.length, "?"));
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + placeholders + ")")) {
      for (String quoted : fileList.split(", ")) {
        String name = quoted.substring(1, quoted.length() - 1);
        for (List<String> rec : parse(readGzip(Path.of(dir, name)))) {
          if (rec.size() != cols.length) {
            throw new IllegalStateException(
                name + ": Number of columns in file (" + rec.size() + ") does not match that of the"
                    + " corresponding table (" + cols.length + ")");
          }
          for (int i = 0; i < cols.length; i++) {
            ps.setString(i + 1, rec.get(i));
          }
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** The file's text; fails unless it is gzip. */
  static String readGzip(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
      throw new IOException(file + ": not gzip (COMPRESSION = GZIP)");
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Snowflake's CSV reading for the sink's file format; null for an empty unenclosed field. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      String value;
      if (text.charAt(i) == '\'') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalStateException("unterminated enclosed field");
          }
          char ch = text.charAt(i);
          if (ch == '\'') {
            if (i + 1 < n && text.charAt(i + 1) == '\'') {
              sb.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(ch);
          i++;
        }
        value = sb.toString();
      } else {
        int start = i;
        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n') {
          i++;
        }
        value = i == start ? null : text.substring(start, i);
      }
      rec.add(value);
      if (i >= n || text.charAt(i) == '\n') {
        records.add(rec);
        rec = new ArrayList<>();
        i++;
      } else if (text.charAt(i) == ',') {
        i++;
        if (i >= n) {
          rec.add(null);
        }
      } else {
        throw new IllegalStateException("unexpected character after enclosed field at " + i);
      }
    }
    return records;
  }
}
