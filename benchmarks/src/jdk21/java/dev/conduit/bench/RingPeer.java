package dev.conduit.bench;

import com.softwaremill.jox.Channel;
import java.util.concurrent.SynchronousQueue;

/**
 * The unbuffered links a {@link TokenRing} of virtual threads is compared over, for
 * {@link VirtualThreadRingBenchmark} and {@link RingFootprint}: each link is the channel or
 * queue and one small object that calls its blocking send and receive.
 */
enum RingPeer {
    /** The Conduit Java facade's {@code Channel.create()}: blocking {@code send}/{@code receive}. */
    CONDUIT_FACADE {
        @Override
        TokenRing.Link link() {
            dev.conduit.java.chan.Channel<TokenRing.Token> ch = dev.conduit.java.chan.Channel.create();
            return new TokenRing.Link() {
                @Override
                public void send(TokenRing.Token token) throws InterruptedException {
                    ch.send(token);
                }

                @Override
                public TokenRing.Token receive() throws InterruptedException {
                    return ch.receive();
                }
            };
        }
    },

    /** jox's {@code Channel.newRendezvousChannel()}. */
    JOX {
        @Override
        TokenRing.Link link() {
            Channel<TokenRing.Token> ch = Channel.newRendezvousChannel();
            return new TokenRing.Link() {
                @Override
                public void send(TokenRing.Token token) throws InterruptedException {
                    ch.send(token);
                }

                @Override
                public TokenRing.Token receive() throws InterruptedException {
                    return ch.receive();
                }
            };
        }
    },

    /** {@link SynchronousQueue}: {@code put}/{@code take}. */
    SYNCHRONOUS_QUEUE {
        @Override
        TokenRing.Link link() {
            SynchronousQueue<TokenRing.Token> q = new SynchronousQueue<>();
            return new TokenRing.Link() {
                @Override
                public void send(TokenRing.Token token) throws InterruptedException {
                    q.put(token);
                }

                @Override
                public TokenRing.Token receive() throws InterruptedException {
                    return q.take();
                }
            };
        }
    };

    /** A new unbuffered link of this kind. Never blocks. */
    abstract TokenRing.Link link();
}
