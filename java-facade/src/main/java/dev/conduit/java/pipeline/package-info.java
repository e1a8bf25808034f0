/**
 * Channel pipelines for Java: {@link dev.conduit.java.pipeline.Pipeline} starts generators and
 * stages (ordered or unordered workers, self-scaling), fan-outs with failure policies,
 * multiplexers and work-stealing pools, and stops them all when closed; plus blocking helpers
 * for broadcasts, the multi-channel coordinator, priority channels, and {@code Flow.Publisher}
 * bridges. Stage functions may block: they run on goroutine threads. Everything is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.pipeline;

import org.jspecify.annotations.NullMarked;
