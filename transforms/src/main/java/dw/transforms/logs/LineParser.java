package dw.transforms.logs;

/**
 * Parses one file's lines, one at a time, for {@link ReadLogFiles}. One instance per worker
 * (created by {@link LogFormat#newParser()}), not thread-safe, allocation-light: it keeps its
 * buffers between lines and exposes the outcome of the last {@link #parse} through getters.
 *
 * <p>Every line gets exactly one {@link Outcome}, which is what keeps the line accounting exact:
 * {@code lines_read = header_lines + parsed + filtered + dead_lettered}.
 */
public interface LineParser<T> {
  /** What a line was. */
  enum Outcome {
    /** A header or comment line of the format (e.g. CloudFront's {@code #Version}). */
    HEADER,
    /** A kept record: {@link #record()} and {@link #eventTimeMillis()} are set. */
    RECORD,
    /** A well-formed line the data set does not keep: {@link #filterReason()} says why. */
    FILTERED,
    /** A line that cannot be used: {@link #deadReason()} says why; the line goes to the dead letters. */
    DEAD
  }

  /** Called before the first line of each file: resets per-file state (CloudFront #Fields layout, CSV header). */
  void startFile(String fileName);

  /** Parses one raw line (without its line end); {@code lineNumber} counts from 1 within the file. */
  Outcome parse(String rawLine, long lineNumber);

  /** The record of the last line, after {@link Outcome#RECORD}. */
  T record();

  /** The event time of the last record (epoch milliseconds, UTC): its element timestamp. */
  long eventTimeMillis();

  /** After {@link Outcome#FILTERED}: the index of the reason in {@link LogFormat#filterReasons()}. */
  int filterReason();

  /** After {@link Outcome#DEAD}: the reason, a stable snake_case code, optionally ": detail". */
  String deadReason();

  /**
   * The raw line as it is stored in a dead letter: the place to hash or blank client addresses
   * (privacy). Pure: depends only on the line (and the parser's configuration).
   */
  String redact(String rawLine);

  /**
   * Called after the last line of a file that was read to its end: the dead-letter reason for
   * lines the parser still holds (e.g. a CSV record whose quoted field never closed), or null. A
   * non-null reason adds one dead letter, counted as one more line ({@code lines_read} and {@code
   * dead_lettered}), like an unreadable file.
   */
  default String endOfFile() {
    return null;
  }

  /** Releases what the parser holds (called in {@code @Teardown}). */
  default void close() {}
}
