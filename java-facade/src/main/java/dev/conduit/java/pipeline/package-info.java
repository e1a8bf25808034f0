/**
 * Channel pipelines for Java: {@link dev.conduit.java.pipeline.Pipeline} starts generators and
 * stages (ordered or unordered workers, self-scaling, configured by
 * {@link dev.conduit.java.pipeline.StageConfig}), fan-outs with failure policies
 * ({@link dev.conduit.java.pipeline.FanOut}), multiplexers ({@link dev.conduit.java.pipeline.Router})
 * and work-stealing pools ({@link dev.conduit.java.pipeline.WorkStealingPool}), and stops them all
 * when closed; beside it, broadcasts ({@link dev.conduit.java.pipeline.Broadcast}) and the
 * multi-channel coordinator ({@link dev.conduit.java.pipeline.Gather}). Each type mirrors the one
 * of {@code dev.conduit.pipeline} with the same name; {@code wrap} and {@code unwrap} cross
 * between them. Stage functions may block: they run on goroutine threads. Everything is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.pipeline;

import org.jspecify.annotations.NullMarked;
