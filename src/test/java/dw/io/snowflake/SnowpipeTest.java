package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed files' CSV records and the names handed to Snowpipe. */
class SnowpipeTest {
  @Test
  void recordsAreReadBackByThePipesFileFormatExactly() {
    List<String> row = Arrays.asList("a,b", "it's \"q\"", "", null, "line1\nline2\r\n", "C:\\dir\\", null);
    String text = Snowpipe.csvRecord(row) + Snowpipe.csvRecord(List.of("x"));
    assertEquals("'a,b','it''s \"q\"','',,'line1\nline2\r\n','C:\\dir\\',\n'x'\n", text);
    assertEquals(List.of(row, List.of("x")), PostgresSnowflakeEmulator.parse(text));
  }

  @Test
  void namesAreRelativeToTheStagingFolderWithoutQuotes() {
    assertEquals(
        List.of("a-0.csv.gz", "b-1.csv.gz"),
        Snowpipe.relativeNames(
            "s3://stage/dw/stream/t/", List.of("'s3://stage/dw/stream/t/b-1.csv.gz'", "'s3://stage/dw/stream/t/a-0.csv.gz'")));
  }
}
