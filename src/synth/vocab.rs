//! Word lists the generator draws names, prompts and settings from.

pub const NAMES: &[&str] = &[
    "portrait_chat",
    "paysage_montagne",
    "cyberpunk_city",
    "fantasy_knight",
    "still_life",
    "robot_garden",
    "dragon_peak",
    "ocean_dream",
    "forest_spirit",
    "retro_car",
    "space_station",
    "tea_ceremony",
    "witch_house",
    "desert_caravan",
    "winter_village",
    "koi_pond",
];
pub const THEMES: &[&str] = &[
    "nature", "urbain", "fantasy", "scifi", "portrait", "nuit", "hiver",
];
pub const STYLES: &[&str] = &["photo", "aquarelle", "anime", "huile", "pixel", "cinematic"];

/// Folder name parts with spaces and non-ASCII characters: (name, theme, style).
pub const UNICODE_NAMES: &[(&str, &str, &str)] = &[
    ("café au lait", "été", "aquarelle"),
    ("東京の夜", "ville", "néon"),
    ("Zoë's garden", "printemps", "pastel"),
    ("dragon de feu", "légende", "huile"),
];

/// Folder names that follow no known shape (no date in them).
pub const ODD_NAMES: &[&str] = &[
    "old stuff",
    "tests sans date",
    "backup (copy)",
    "à trier",
    "misc renders",
    "new folder",
    "favoris 2",
    "vieux essais",
    "random",
    "sans titre",
];

/// Placeholders and their values. `Subject` is always used; the others are drawn.
pub const PLACEHOLDERS: &[(&str, &[&str])] = &[
    (
        "Subject",
        &[
            "cat",
            "red fox",
            "old fisherman",
            "young witch",
            "robot",
            "samurai",
        ],
    ),
    (
        "Setting",
        &[
            "a misty forest",
            "a neon-lit alley",
            "a sunflower field",
            "an abandoned library",
            "a snowy mountain pass",
        ],
    ),
    (
        "Lighting",
        &[
            "golden hour",
            "soft studio light",
            "moonlight",
            "volumetric fog",
            "dramatic rim light",
            "overcast daylight",
        ],
    ),
    (
        "Style",
        &[
            "oil painting",
            "watercolor",
            "35mm film photo",
            "digital art",
        ],
    ),
    (
        "Mood",
        &["serene", "melancholic", "joyful", "mysterious", "epic"],
    ),
    ("Weather", &["light rain", "clear sky", "heavy snow"]),
];

/// Subjects that do not fit Latin-1, so their PNG parameters need an iTXt chunk.
pub const UNICODE_SUBJECTS: &[&str] = &["桜の木", "ёжик", "chat noir", "Schneeeule", "금붕어"];

pub const QUALITY: &[&str] = &[
    "masterpiece, best quality",
    "best quality, ultra detailed",
    "high quality, award winning",
    "masterpiece",
];
pub const FILLER: &[&str] = &[
    "highly detailed",
    "8k",
    "sharp focus",
    "intricate details",
    "cinematic composition",
    "depth of field",
    "professional photography",
    "vivid colors",
    "trending on artstation",
    "soft shadows",
    "ray tracing",
    "bokeh",
    "film grain",
    "rule of thirds",
    "wide angle lens",
    "hyperrealistic",
    "subsurface scattering",
    "concept art",
    "rich textures",
    "dynamic pose",
];
pub const NEGATIVE: &[&str] = &[
    "lowres",
    "bad anatomy",
    "bad hands",
    "text",
    "error",
    "missing fingers",
    "extra digit",
    "cropped",
    "worst quality",
    "low quality",
    "jpeg artifacts",
    "signature",
    "watermark",
    "blurry",
    "deformed",
    "disfigured",
    "extra limbs",
    "mutated hands",
];

/// Checkpoints as (name, short hash).
pub const MODELS: &[(&str, &str)] = &[
    ("sd_v15", "6ce0161689"),
    ("dreamshaper_8", "879db523c3"),
    ("realisticVisionV60B1_v51VAE", "15012c538f"),
    ("sd_xl_base_1.0", "31e35c80fc"),
    ("juggernautXL_v9", "c9e3e68f89"),
];
pub const SAMPLERS: &[&str] = &["DPM++ 2M", "Euler a", "DPM++ SDE", "DDIM", "UniPC"];
pub const SCHEDULERS: &[&str] = &["karras", "automatic", "exponential"];
pub const LORAS: &[(&str, &str)] = &[
    ("detail_tweaker", "7d3c4e1f0a2b"),
    ("add_brightness", "1b2c3d4e5f60"),
];
pub const VERSIONS: &[&str] = &["v1.10.1", "v1.9.4", "v1.8.0"];
