//! `text_enum!` — the one way to declare an enum that is stored as text in the database and
//! sent as text in the API (a status, a kind, a channel). It writes what every such enum needs,
//! so a module only names its variants and their texts:
//!
//! ```
//! thanthien::text_enum! {
//!     /// How often a task must be reported on.
//!     pub enum Cadence {
//!         Weekly = "weekly",
//!         Monthly = "monthly",
//!     }
//! }
//! assert_eq!(Cadence::parse("monthly"), Some(Cadence::Monthly));
//! assert_eq!(Cadence::Weekly.as_str(), "weekly");
//! assert_eq!(Cadence::ALL.len(), 2);
//! ```
//!
//! It derives `Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema` (the
//! variant's text is its JSON and OpenAPI value), and adds `ALL` (every variant, in order),
//! `as_str` (the stored text) and `parse` (text → variant, `None` for anything else). The
//! migration keeps the column honest with a CHECK constraint listing the same texts.
//!
//! With `labels`, each variant also carries the words people read, and the enum gets
//! `label_vi` and `label_en` (exports, printed documents, error messages):
//!
//! ```
//! thanthien::text_enum! {
//!     pub enum Outcome labels {
//!         Upheld = "upheld" ("Đúng", "Upheld"),
//!         Rejected = "rejected" ("Sai", "Rejected"),
//!     }
//! }
//! assert_eq!(Outcome::Upheld.label_vi(), "Đúng");
//! ```

// The texts are matched as `tt`, not `literal`: a `literal` fragment reaches the derives
// wrapped in an invisible group, which serde reads but utoipa does not (the OpenAPI values
// would fall back to the variant names).
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident labels {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ($vi:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $crate::text_enum! {
            $(#[$meta])*
            $vis enum $name {
                $( $(#[$vmeta])* $variant = $text ),+
            }
        }

        impl $name {
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str {
                match self {
                    $( $name::$variant => $vi ),+
                }
            }

            /// English label.
            pub fn label_en(self) -> &'static str {
                match self {
                    $( $name::$variant => $en ),+
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$( $text ),+].len()] = [$( $name::$variant ),+];

            /// The text stored in the database and sent in the API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// The variant of a stored text; `None` for any other text.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::text_enum! {
        /// A test enum.
        pub enum Colour labels {
            /// Doc comments on variants are kept.
            Red = "red" ("Đỏ", "Red"),
            DarkBlue = "dark_blue" ("Xanh đậm", "Dark blue"),
        }
    }

    #[test]
    fn text_round_trips_and_json_uses_the_text() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
        }
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(Colour::parse(""), None);
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).ok().as_deref(), Some("\"dark_blue\""));
        assert_eq!(serde_json::from_str::<Colour>("\"red\"").ok(), Some(Colour::Red));
        assert!(serde_json::from_str::<Colour>("\"blue\"").is_err());
        assert_eq!(Colour::DarkBlue.label_vi(), "Xanh đậm");
        assert_eq!(Colour::DarkBlue.label_en(), "Dark blue");
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
    }
}
