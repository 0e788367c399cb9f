package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The checkpointed restriction of the tail source survives encoding exactly, and deterministically. */
class TailStateCoderTest {
  private static final long H = 3_600_000L;

  private static TailState sample() {
    TailState s = new TailState();
    s.apply(TailState.TailClaim.endOfPoll(100 * H, 99 * H, 90 * H));
    s.apply(TailState.TailClaim.object(100 * H, "s3://b/cf/E1.2026-11-21-04.b.gz"));
    s.apply(TailState.TailClaim.object(100 * H, "s3://b/cf/E1.2026-11-21-04.a.gz"));
    s.apply(TailState.TailClaim.object(101 * H, "s3://b/cf/E1.2026-11-21-05.é.gz"));
    return s;
  }

  @Test
  void roundTripsHoursKeysAndWatermark() throws Exception {
    TailState s = sample();
    TailState back = CoderUtils.clone(TailState.Coder.of(), s);
    assertEquals(s.toString(), back.toString());
    assertEquals(3, back.trackedKeys());
    assertEquals(2, back.trackedHours());
    assertEquals(100 * H, back.watermarkHour());
    assertTrue(back.contains(101 * H, "s3://b/cf/E1.2026-11-21-05.é.gz"));
    assertFalse(back.contains(100 * H, "s3://b/cf/E1.2026-11-21-05.é.gz"));
    assertFalse(back.isFinished());
    assertTrue(CoderUtils.clone(TailState.Coder.of(), TailState.finishedPart()).isFinished());
  }

  @Test
  void encodingIsDeterministicWhateverTheInsertionOrder() throws Exception {
    TailState other = new TailState();
    other.apply(TailState.TailClaim.endOfPoll(100 * H, 99 * H, 90 * H));
    other.apply(TailState.TailClaim.object(101 * H, "s3://b/cf/E1.2026-11-21-05.é.gz"));
    other.apply(TailState.TailClaim.object(100 * H, "s3://b/cf/E1.2026-11-21-04.a.gz"));
    other.apply(TailState.TailClaim.object(100 * H, "s3://b/cf/E1.2026-11-21-04.b.gz"));
    assertArrayEquals(
        CoderUtils.encodeToByteArray(TailState.Coder.of(), sample()),
        CoderUtils.encodeToByteArray(TailState.Coder.of(), other));
  }

  @Test
  void anUnknownFormatIsRefusedWithAMessage() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {2, 4, 0}); // a block of 2 bytes: format 2 (zig-zag 4), then one more
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> CoderUtils.decodeFromByteArray(TailState.Coder.of(), out.toByteArray()));
    assertTrue(e.getMessage().contains("format 2"), e.getMessage());
  }
}
