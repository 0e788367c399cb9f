package dw.transforms.windows;

import java.io.Serializable;

/** A wall clock (processing time) that travels with a pipeline: the system's, or a test's. */
@FunctionalInterface
public interface NowMillis extends Serializable {
  long nowMillis();
}
