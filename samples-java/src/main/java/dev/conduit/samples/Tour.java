package dev.conduit.samples;

public final class Tour {
    public static void main(String[] args) {}
}
