/// Gantry's own version.
public enum GantryVersion {
    public static let current = "0.1.0"
}
