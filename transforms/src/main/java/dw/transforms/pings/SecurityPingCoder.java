package dw.transforms.pings;

import dw.transforms.common.BlockCoder;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Compact, deterministic coder for {@link SecurityPing}, one block per ping ({@link BlockCoder}):
 * the coded fields of {@link SecurityPing#FIELDS}, in its order, each as the table says, by the code
 * generated from the table into {@link SecurityPing} (the table is where a field is added; the
 * bytes are pinned by {@code SecurityPingCoderGoldenTest}). The
 * version fields derived from the raw build are carried, so decoding does not parse the build
 * again. Used wherever pings cross a shuffle or sit in Flink state, so nothing falls back to Kryo or
 * Java serialization.
 *
 * <p>Versioned: a block starts with its format ({@link Writer#writeFormat}). Format {@value
 * #FORMAT} carries the client address's hash (32 bytes), network and clear text as the ping holds
 * them (the clear text and network are null unless the job was asked to keep them); the fingerprint
 * is the hash's first 8 bytes and is not written. The unversioned format before it carried the
 * clear address of every ping; such state is refused with a message (see docs/privacy.md,
 * "Upgrading a running stream"), since reading it would bring the clear addresses back into the
 * job's state.
 */
public final class SecurityPingCoder extends BlockCoder<SecurityPing> {
  /** The format this version writes and reads. */
  public static final int FORMAT = 2;

  private static final SecurityPingCoder INSTANCE = new SecurityPingCoder();

  public static SecurityPingCoder of() {
    return INSTANCE;
  }

  @Override
  public void write(SecurityPing p, Writer w) {
    w.writeFormat(FORMAT);
    writeFields(p, w);
  }

  @Override
  public SecurityPing read(Reader r) throws IOException {
    checkFormat(r.readFormat(), "ping");
    return readFields(r);
  }

  /**
   * Fails on a block of another format than {@value #FORMAT}; also used by the coders that nest a
   * ping's fields in their own versioned block.
   */
  public static void checkFormat(int format, String what) throws CoderException {
    if (format == FORMAT) {
      return;
    }
    if (format == 0) {
      throw new CoderException(
          "a "
              + what
              + " in the unversioned format of before the client-IP pseudonymization (it holds clear"
              + " client IPs): state or savepoints of that version cannot be restored; start the"
              + " stream without the savepoint after a backfill of its open days (docs/privacy.md)");
    }
    throw new CoderException(
        "a " + what + " in format " + format + ", this version reads format " + FORMAT
            + " (written by a newer version?)");
  }

  /** The ping's fields without the format marker (for a coder whose block has one). */
  public void writeFields(SecurityPing p, Writer w) {
    p.writeFields(w);
  }

  /** Reads {@link #writeFields}. */
  public SecurityPing readFields(Reader r) throws IOException {
    return SecurityPing.readFrom(r);
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
