package org.knowmad.course;

/**
 * A problem found in the document before it is given a file and a position.
 *
 * @param atKey point at the key named by the path rather than at its value (unknown or duplicate keys)
 */
record Finding(String path, boolean atKey, String message) {

    static Finding at(String path, String message) {
        return new Finding(path, false, message);
    }
}
