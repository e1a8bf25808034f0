/**
 * Blocking Java access to the suspending high-performance channels: {@code BatchChannel} and
 * {@code ShardedChan}. The lock-free rings ({@code dev.conduit.ring.SpscRing}, {@code MpscRing},
 * {@code MpmcRing}) and the memory-mapped {@code IpcChannel} are Java classes already and are
 * used directly. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.ring;

import org.jspecify.annotations.NullMarked;
