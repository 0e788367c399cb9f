package dw.transforms.common;

import java.io.IOException;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * An input line that could not be parsed, with where it came from and why: nothing is dropped
 * silently. Keyed by (file, line number), so re-reading a file replaces its dead letters.
 */
@DefaultCoder(DeadLetter.Coder.class)
public final class DeadLetter {
  /** Raw lines longer than this are cut (a CloudFront line is at most a few KB). */
  public static final int MAX_RAW_CHARS = 16_384;

  private final String pipeline;
  private final String file;
  private final long lineNumber;
  private final String reason;
  private final String rawLine;

  public DeadLetter(String pipeline, String file, long lineNumber, String reason, String rawLine) {
    this.pipeline = pipeline;
    this.file = file;
    this.lineNumber = lineNumber;
    this.reason = reason;
    this.rawLine =
        rawLine != null && rawLine.length() > MAX_RAW_CHARS
            ? rawLine.substring(0, MAX_RAW_CHARS)
            : rawLine;
  }

  public String pipeline() {
    return pipeline;
  }

  public String file() {
    return file;
  }

  public long lineNumber() {
    return lineNumber;
  }

  public String reason() {
    return reason;
  }

  public String rawLine() {
    return rawLine;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter d)) {
      return false;
    }
    return lineNumber == d.lineNumber
        && Objects.equals(pipeline, d.pipeline)
        && Objects.equals(file, d.file)
        && Objects.equals(reason, d.reason)
        && Objects.equals(rawLine, d.rawLine);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, lineNumber, reason);
  }

  @Override
  public String toString() {
    return pipeline + " " + file + ":" + lineNumber + " " + reason + " [" + rawLine + "]";
  }

  /** Compact coder (no Java serialization, no Kryo), one block per element. */
  public static final class Coder extends BlockCoder<DeadLetter> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(DeadLetter v, Writer w) {
      w.writeString(v.pipeline);
      w.writeString(v.file);
      w.writeVarLong(v.lineNumber);
      w.writeString(v.reason);
      w.writeString(v.rawLine);
    }

    @Override
    public DeadLetter read(Reader r) throws IOException {
      return new DeadLetter(
          r.readString(), r.readString(), r.readVarLong(), r.readString(), r.readString());
    }
  }
}
