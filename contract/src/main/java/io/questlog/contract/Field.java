package io.questlog.contract;

/** One named, typed field of the envelope or column of a table, with one line saying what it holds. */
public record Field(String name, Type type, String doc) {
}
