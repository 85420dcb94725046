import Foundation

/// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian), exact for every CEL timestamp.
enum CivilCalendar {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

extension CELTimestamp {
    /// Parses RFC 3339 text such as `2009-02-13T23:31:30.123Z` or `2009-02-13T15:31:30-08:00`.
    public init?(rfc3339 text: String) {
        let s = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= s.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard s[i] >= 48 && s[i] <= 57 else { return nil }
                v = v * 10 + Int64(s[i] - 48)
            }
            return v
        }
        guard s.count >= 20, let year = digits(0, 4), s[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            s[7] == UInt8(ascii: "-"), let day = digits(8, 2), s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), s[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            s[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return nil }
        guard month >= 1 && month <= 12, day >= 1, hour < 24, minute < 60, second < 60 else { return nil }
        let monthDays: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        guard day <= monthDays[Int(month - 1)] + (month == 2 && leap ? 1 : 0) else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < s.count && s[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < s.count && s[i] >= 48 && s[i] <= 57 {
                guard n < 9 else { return nil }
                nanos = nanos * 10 + Int64(s[i] - 48)
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in n..<9 { nanos *= 10 }
        }
        guard i < s.count else { return nil }
        var offset: Int64 = 0
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            guard let oh = digits(i + 1, 2), i + 3 < s.count, s[i + 3] == UInt8(ascii: ":"),
                let om = digits(i + 4, 2), oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (s[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let secs =
            CivilCalendar.days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
            - offset
        self.init(nanosecondsSinceEpoch: Int128(secs) * 1_000_000_000 + Int128(nanos))
    }

    /// RFC 3339 in UTC with `Z`, the fraction cut of trailing zeros, as CEL's `string(timestamp)`.
    public var rfc3339: String {
        let secs = seconds
        let days = CivilCalendar.floorDiv(secs, 86400)
        let rem = secs - days * 86400
        let (y, m, d) = CivilCalendar.civil(days: days)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return s.count < n ? String(repeating: "0", count: n - s.count) + s : s
        }
        var out =
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))"
        if nanos != 0 {
            var f = pad(Int64(nanos), 9)
            while f.hasSuffix("0") { f.removeLast() }
            out += "." + f
        }
        return out + "Z"
    }

    /// The local seconds since the epoch in time zone `zone` (an IANA name or a fixed `±HH:MM` offset).
    func localSeconds(in zone: String?) throws(CELError) -> Int64 {
        guard let zone else { return seconds }
        let bytes = Array(zone.utf8)
        var body = bytes[...]
        var sign: Int64 = 1
        if let f = body.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            sign = f == UInt8(ascii: "-") ? -1 : 1
            body = body.dropFirst()
        }
        if body.count == 5, body[body.startIndex + 2] == UInt8(ascii: ":"),
            let h = Int64(String(decoding: body.prefix(2), as: UTF8.self)),
            let m = Int64(String(decoding: body.suffix(2), as: UTF8.self))
        {
            return seconds + sign * (h * 3600 + m * 60)
        }
        guard let tz = TimeZone(identifier: zone) else { throw CELError("unknown time zone '\(zone)'") }
        let offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        return seconds + Int64(offset)
    }
}

extension CELDuration {
    /// Parses a duration such as `1.5s`, `-2h30m`, `100ms`, `1us`, `5ns` (units h, m, s, ms, us, µs, ns).
    public init?(text: String) {
        var s = Array(text.unicodeScalars)[...]
        var negative = false
        if let f = s.first, f == "-" || f == "+" {
            negative = f == "-"
            s = s.dropFirst()
        }
        if s.count == 1 && s.first == "0" {
            self.init(nanoseconds: 0)
            return
        }
        guard !s.isEmpty else { return nil }
        var total: Int128 = 0
        while !s.isEmpty {
            var whole: Int128 = 0
            var frac: Int128 = 0
            var fracScale: Int128 = 1
            var sawDigit = false
            while let c = s.first, c >= "0" && c <= "9" {
                whole = whole * 10 + Int128(c.value - 48)
                guard whole < Int128(1) << 100 else { return nil }
                sawDigit = true
                s = s.dropFirst()
            }
            if s.first == "." {
                s = s.dropFirst()
                while let c = s.first, c >= "0" && c <= "9" {
                    if fracScale < 1_000_000_000_000_000_000 {
                        frac = frac * 10 + Int128(c.value - 48)
                        fracScale *= 10
                    }
                    sawDigit = true
                    s = s.dropFirst()
                }
            }
            guard sawDigit else { return nil }
            var unit = ""
            while let c = s.first, !(c >= "0" && c <= "9") && c != "." {
                unit.unicodeScalars.append(c)
                s = s.dropFirst()
            }
            let scale: Int128
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1000
            case "ms": scale = 1_000_000
            case "s": scale = 1_000_000_000
            case "m": scale = 60_000_000_000
            case "h": scale = 3_600_000_000_000
            default: return nil
            }
            total += whole * scale + frac * scale / fracScale
            guard total < Int128(1) << 100 else { return nil }
        }
        self.init(nanoseconds: negative ? -total : total)
    }

    /// Seconds with the fraction cut of trailing zeros and a final `s`, as CEL's `string(duration)`.
    public var text: String {
        let negative = nanoseconds < 0
        let magnitude = negative ? -nanoseconds : nanoseconds
        var out = negative ? "-" : ""
        out += String(magnitude / 1_000_000_000)
        let frac = magnitude % 1_000_000_000
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 9 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            out += "." + f
        }
        return out + "s"
    }
}

extension CELEvaluator {
    func timeAccessor(_ fn: CELFunction, _ args: [CELValue]) throws(CELError) -> CELValue {
        switch args[0] {
        case .timestamp(let t):
            var zone: String? = nil
            if args.count == 2 {
                guard case .string(let z) = args[1] else { throw noOverload(fn.rawValue, args) }
                zone = z
            } else if args.count != 1 {
                throw noOverload(fn.rawValue, args)
            }
            let local = try t.localSeconds(in: zone)
            let days = CivilCalendar.floorDiv(local, 86400)
            let rem = local - days * 86400
            let (y, m, d) = CivilCalendar.civil(days: days)
            switch fn {
            case .getFullYear: return .int(y)
            case .getMonth: return .int(m - 1)
            case .getDate: return .int(d)
            case .getDayOfMonth: return .int(d - 1)
            case .getDayOfWeek: return .int(((days % 7) + 11) % 7)
            case .getDayOfYear: return .int(days - CivilCalendar.days(year: y, month: 1, day: 1))
            case .getHours: return .int(rem / 3600)
            case .getMinutes: return .int(rem % 3600 / 60)
            case .getSeconds: return .int(rem % 60)
            default: return .int(Int64(t.nanos) / 1_000_000)
            }
        case .duration(let d):
            guard args.count == 1 else { throw noOverload(fn.rawValue, args) }
            switch fn {
            case .getHours: return .int(Int64(d.nanoseconds / 3_600_000_000_000))
            case .getMinutes: return .int(Int64(d.nanoseconds / 60_000_000_000))
            case .getSeconds: return .int(Int64(d.nanoseconds / 1_000_000_000))
            case .getMilliseconds: return .int(Int64(d.nanoseconds % 1_000_000_000 / 1_000_000))
            default: throw noOverload(fn.rawValue, args)
            }
        default:
            throw noOverload(fn.rawValue, args)
        }
    }
}
