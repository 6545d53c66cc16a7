/// `1m05s` or `42s`: elapsed time in at most 6 columns.
public func formatElapsed(_ seconds: Int) -> String {
    if seconds < 60 { return "\(seconds)s" }
    if seconds < 3600 { return "\(seconds / 60)m\(String(format2: seconds % 60))s" }
    return "\(seconds / 3600)h\(String(format2: (seconds / 60) % 60))m"
}

extension String {
    /// Two-digit zero-padded number.
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}

/// `12.3 MB`: a byte count in at most 8 columns.
public func formatBytes(_ n: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(n)
    var unit = 0
    while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
    if unit == 0 { return "\(n) B" }
    return "\((value * 10).rounded() / 10) \(units[unit])"
}
