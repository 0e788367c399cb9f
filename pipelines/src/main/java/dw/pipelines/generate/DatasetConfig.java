package dw.pipelines.generate;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What every data-set generator's configuration has: the output folder, the UTC date range and
 * the seed (the same configuration always gives byte-identical output), as a fluent builder.
 *
 * @param <C> the generator's own configuration type
 */
abstract class DatasetConfig<C extends DatasetConfig<C>> {
  final Path output;
  LocalDate from;
  LocalDate to;
  long seed;

  DatasetConfig(Path output, LocalDate from, LocalDate to, long seed) {
    this.output = output;
    this.from = from;
    this.to = to;
    this.seed = seed;
  }

  @SuppressWarnings("unchecked")
  final C self() {
    return (C) this;
  }

  public C from(LocalDate d) {
    from = d;
    return self();
  }

  public C to(LocalDate d) {
    to = d;
    return self();
  }

  public C seed(long s) {
    seed = s;
    return self();
  }
}
