package dw.transforms.logs;

import dw.transforms.common.CounterNames;
import dw.transforms.common.DeadLetter;
import dw.transforms.common.LogFileReader;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The fused reading step shared by every log pipeline: for each file, stream it (gzip inflated on
 * the fly, {@link LogFileReader}), split lines, hand each line to the format's {@link LineParser},
 * and emit each kept record at its event time on {@link #records()}. No intermediate collection of
 * raw lines; the inner step is named {@value #STEP} (an operator UID: pinned by golden files).
 *
 * <p>Every line is counted exactly once: {@code header_lines}, {@code parsed…} ({@link
 * LogFormat#parsedCounter()}), {@code filtered_<reason>} or {@code dead_lettered} (then also emitted
 * on {@link #DEAD_LETTERS} with file, line number, reason and the raw line as {@link
 * LineParser#redact} leaves it); their sum is {@code lines_read}. Counters are added once per file.
 * A file whose gzip stream is corrupt or truncated keeps the lines read before the damage and adds
 * one dead letter {@code unreadable_file: …} (counted as one line, and in {@code files_failed}).
 * Other I/O errors fail the bundle so the runner retries it: a transient storage error must not
 * turn into lost data.
 *
 * <p>With a {@link BundleAggregator} (bounded input only), records are folded into aggregates in
 * the step and emitted on the aggregator's tag; records go to {@link #records()} as well only when
 * asked.
 */
public class ReadLogFiles<T> extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  /** Name of the inner ParDo (operator UID {@code <outer step>/ReadParseEnrich}). */
  public static final String STEP = "ReadParseEnrich";

  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  private final LogFormat<T> format;
  private final TupleTag<T> records;
  private final BundleAggregator<T, ?> aggregator;
  private final boolean emitRecords;

  protected ReadLogFiles(
      LogFormat<T> format, TupleTag<T> records, BundleAggregator<T, ?> aggregator, boolean emitRecords) {
    this.format = format;
    this.records = records;
    this.aggregator = aggregator;
    this.emitRecords = emitRecords;
    if (aggregator == null && !emitRecords) {
      throw new IllegalArgumentException("nothing to emit: no aggregator and no records");
    }
  }

  /** Reads the files with {@code format}, records on {@code records} (its id names the output). */
  public static <T> ReadLogFiles<T> of(LogFormat<T> format, TupleTag<T> records) {
    return new ReadLogFiles<>(format, records, null, true);
  }

  /** The same, folding records into {@code aggregator}'s aggregates; records too when {@code alsoRecords}. */
  public ReadLogFiles<T> aggregating(BundleAggregator<T, ?> aggregator, boolean alsoRecords) {
    return new ReadLogFiles<>(format, records, aggregator, alsoRecords);
  }

  public TupleTag<T> records() {
    return records;
  }

  public LogFormat<T> format() {
    return format;
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    if (aggregator != null
        && !(files.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "aggregates are built per bundle: the files must be in the global window (bounded input)");
    }
    TupleTag<Object> main = (TupleTag<Object>) (aggregator != null ? aggregator.tag() : records);
    TupleTagList more = TupleTagList.of(DEAD_LETTERS);
    if (aggregator != null && emitRecords) {
      more = more.and(records);
    }
    PCollectionTuple out =
        files.apply(STEP, ParDo.of(new ReadFn<>(format, records, aggregator, emitRecords)).withOutputTags(main, more));
    if (emitRecords) {
      out.get(records).setCoder(format.recordCoder());
    }
    if (aggregator != null) {
      setAggregateCoder(out, aggregator);
    }
    out.get(DEAD_LETTERS).setCoder(DeadLetter.Coder.of());
    return out;
  }

  private static <A> void setAggregateCoder(PCollectionTuple out, BundleAggregator<?, A> aggregator) {
    out.get(aggregator.tag()).setCoder(aggregator.coder());
  }

  static final class ReadFn<T> extends DoFn<MatchResult.Metadata, Object> {
    private final LogFormat<T> format;
    private final TupleTag<T> recordsTag;
    private final BundleAggregator<T, Object> aggregator;
    private final boolean emitRecords;

    private final Counter filesRead = counter(CounterNames.FILES_READ);
    private final Counter filesFailed = counter(CounterNames.FILES_FAILED);
    private final Counter linesRead = counter(CounterNames.LINES_READ);
    private final Counter headerLines = counter(CounterNames.HEADER_LINES);
    private final Counter parsed;
    private final Counter deadLettered = counter(CounterNames.DEAD_LETTERED);
    private final Counter[] filtered;

    private transient LineParser<T> parser;
    private transient BundleAggregator.Buffer<T, Object> buffer;
    private transient long[] filteredCounts;

    @SuppressWarnings("unchecked")
    ReadFn(LogFormat<T> format, TupleTag<T> recordsTag, BundleAggregator<T, ?> aggregator, boolean emitRecords) {
      this.format = format;
      this.recordsTag = recordsTag;
      this.aggregator = (BundleAggregator<T, Object>) aggregator;
      this.emitRecords = emitRecords;
      this.parsed = counter(format.parsedCounter());
      List<String> reasons = format.filterReasons();
      this.filtered = new Counter[reasons.size()];
      for (int i = 0; i < reasons.size(); i++) {
        filtered[i] = counter(CounterNames.filtered(reasons.get(i)));
      }
    }

    private static Counter counter(String name) {
      return Metrics.counter(CounterNames.NAMESPACE, name);
    }

    @Setup
    public void setup() {
      parser = format.newParser();
      buffer = aggregator == null ? null : aggregator.newBuffer();
      filteredCounts = new long[filtered.length];
    }

    @Teardown
    public void teardown() {
      if (parser != null) {
        parser.close();
      }
    }

    @StartBundle
    public void startBundle() {
      if (buffer != null) {
        buffer.drain((a, t) -> {}); // a retried bundle starts empty
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (buffer != null) {
        TupleTag<Object> tag = aggregator.tag();
        buffer.drain((a, t) -> c.output(tag, a, t, GlobalWindow.INSTANCE));
      }
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      // Records are emitted at their event time, which is earlier than the time a streaming
      // listing found their file; lateness is handled by the windows, not here.
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out)
        throws IOException {
      String name = file.resourceId().toString();
      String pipeline = format.pipeline();
      long lines = 0;
      long headers = 0;
      long kept = 0;
      long dead = 0;
      Arrays.fill(filteredCounts, 0);
      DoFn.OutputReceiver<T> recordOut = emitRecords ? out.get(recordsTag) : null;
      DoFn.OutputReceiver<DeadLetter> deadOut = out.get(DEAD_LETTERS);
      BufferedReader reader = null;
      parser.startFile(name);
      try {
        reader = LogFileReader.open(file.resourceId());
        String raw;
        while (true) {
          try {
            raw = reader.readLine();
          } catch (ZipException | EOFException e) {
            lines++;
            dead++;
            deadOut.output(unreadable(parser, pipeline, name, lines, e));
            filesFailed.inc();
            break;
          }
          if (raw == null) {
            String tail = parser.endOfFile();
            if (tail != null) {
              lines++;
              dead++;
              deadOut.output(new DeadLetter(pipeline, name, lines, tail, ""));
            }
            break;
          }
          lines++;
          switch (parser.parse(raw, lines)) {
            case HEADER -> headers++;
            case RECORD -> {
              kept++;
              T r = parser.record();
              if (emitRecords) {
                recordOut.outputWithTimestamp(r, new Instant(parser.eventTimeMillis()));
              }
              if (buffer != null) {
                buffer.add(r);
              }
            }
            case FILTERED -> filteredCounts[parser.filterReason()]++;
            case DEAD -> {
              dead++;
              deadOut.output(
                  new DeadLetter(pipeline, name, lines, parser.deadReason(), parser.redact(raw)));
            }
          }
        }
      } catch (ZipException | EOFException e) {
        // not gzip at all, or cut before the first line
        lines++;
        dead++;
        deadOut.output(unreadable(parser, pipeline, name, lines, e));
        filesFailed.inc();
      } finally {
        if (reader != null) {
          reader.close();
        }
        // Counters once per file: exact, and nearly free on the per-line path.
        filesRead.inc();
        linesRead.inc(lines);
        headerLines.inc(headers);
        parsed.inc(kept);
        deadLettered.inc(dead);
        for (int i = 0; i < filteredCounts.length; i++) {
          if (filteredCounts[i] > 0) {
            filtered[i].inc(filteredCounts[i]);
          }
        }
      }
      if (buffer != null && buffer.full()) {
        OutputReceiver<Object> aggOut = out.get(aggregator.tag());
        buffer.drain(aggOut::outputWithTimestamp);
      }
    }

    /** An {@code unreadable_file} dead letter; its message goes through the parser's redaction too. */
    private static DeadLetter unreadable(
        LineParser<?> parser, String pipeline, String file, long line, IOException e) {
      return new DeadLetter(pipeline, file, line, parser.redact("unreadable_file: " + e.getMessage()), "");
    }
  }
}
