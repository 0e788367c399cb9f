package dw.io.files;

import dw.io.s3.S3AccessOptions;
import dw.transforms.common.LogFileReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The child JVM of {@link LargeObjectS3Test}: reads one log object through the pipelines' own path
 * (Beam's filesystem for the address + {@link LogFileReader#openLines}, as the pipelines read), counts its lines and characters, and
 * prints them with its peak heap and peak resident memory. Arguments: the address, then pipeline
 * options.
 */
public final class LargeObjectReadMain {
  private LargeObjectReadMain() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(S3AccessOptions.class);
    S3AccessOptions o =
        PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 1, args.length)).as(S3AccessOptions.class);
    FileSystems.setDefaultPipelineOptions(o);
    long start = System.nanoTime();
    long lines = 0;
    long chars = 0;
    long pings = 0;
    try (dw.transforms.common.Utf8Lines r = LogFileReader.openLines(FileSystems.matchNewResource(args[0], false))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines++;
        chars += l.length() + 1;
        if (l.startsWith("2024-") && l.contains("\t/security\t")) {
          pings++;
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long heapPeak = 0;
    long liveAfterGc = 0; // what the last collection of each pool left: the reader's live data
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
        if (pool.getCollectionUsage() != null) {
          liveAfterGc += pool.getCollectionUsage().getUsed();
        }
      }
    }
    long hwmKb = -1;
    for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        hwmKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    System.out.println(
        "RESULT lines=" + lines + " chars=" + chars + " pings=" + pings + " millis=" + millis
            + " heapPeakBytes=" + heapPeak + " heapAfterGcBytes=" + liveAfterGc + " vmHwmKb=" + hwmKb
            + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
  }
}
