package dw.pipelines;

/**
 * Options of the {@code releases} pipeline: the shared log-pipeline options ({@code --input},
 * {@code --from}/{@code --to}, warehouse, GeoIP, privacy, S3 access). Bounded only: {@code
 * --from}/{@code --to} are required.
 */
public interface ReleasesOptions extends LogPipelineOptions {}
