//! Vocabulary of the generated prompts and sessions. Every prompt holds exactly one word of
//! `RARE`, so each of those words is in about 1 % of the prompts: a search that finds a
//! realistic number of images (about 10,000 of the million).

pub const QUALITY: &str = "masterpiece, best quality, ultra detailed, highly detailed, 8k, award winning, \
    photorealistic, sharp focus, intricate details, high resolution";
pub const ADJECTIVES: &str = "young, old, smiling, stern, mysterious, tiny, giant, ancient, futuristic, elegant, \
    ragged, golden, silver, crimson, pale, weathered, glowing, shy, proud, sleepy, fierce, \
    gentle, armoured, masked, winged, hooded, curious, melancholic, cheerful, solemn";
pub const SUBJECTS: &str = "witch, samurai, robot, astronaut, dragon, knight, cat, owl, wolf, mermaid, geisha, \
    cyborg, pirate, monk, fox, bear, queen, king, sorcerer, dancer, violinist, fisherman, \
    gardener, blacksmith, archer, nomad, priestess, hunter, scholar, alchemist, tiger, \
    elephant, whale, heron, stag, raven, octopus, golem, android, ninja, viking, cowboy, \
    detective, baker, painter, sailor, shepherd, healer, oracle, jester, empress, warlock, \
    ranger, paladin, druid, bard, pilot, diver, climber, courier";
pub const SETTINGS: &str = "in a misty forest, in a neon-lit alley, on a snowy mountain pass, in a sunflower field, \
    in an abandoned library, on a desert dune, under a stormy sky, in a bamboo grove, \
    by a frozen lake, in a crowded market, on a rooftop at dusk, in a candlelit chapel, \
    in a flooded city, on a floating island, in a crystal cave, at a night harbour, \
    in a tea garden, on a battlefield, in a greenhouse, in a steampunk workshop, \
    on a space station, in a coral reef, in an autumn park, in a rainy train station, \
    in a royal ballroom, on a wheat farm, in a ruined temple, in a jazz club, \
    in a mangrove swamp, on a volcanic beach, in a moonlit meadow, in a cyberpunk arcade, \
    in a quiet monastery, on a pirate ship, in a mirror maze, in a salt flat, \
    in a botanical lab, on a glacier ridge, in a lantern festival, in a cedar cabin";
pub const RARE: &str = "lighthouse, zeppelin, carousel, pagoda, windmill, aqueduct, obelisk, gondola, minaret, \
    ziggurat, catapult, trebuchet, sundial, chandelier, gramophone, typewriter, telescope, \
    hourglass, birdcage, pinwheel, kimono, sarcophagus, totem, monolith, stalactite, \
    waterwheel, drawbridge, gazebo, pergola, belfry, cathedral, colosseum, pyramid, sphinx, \
    igloo, yurt, treehouse, houseboat, submarine, locomotive, biplane, hovercraft, \
    rickshaw, sleigh, chariot, galleon, canoe, kayak, paraglider, airship, satellite, \
    observatory, labyrinth, fountain, scarecrow, snowman, jukebox, pinball, kaleidoscope, \
    harpsichord, accordion, bagpipe, didgeridoo, xylophone, tambourine, banjo, cello, harp, \
    ocarina, sitar, marionette, origami, mosaic, tapestry, fresco, stained glass, \
    porcelain, terracotta, bonsai, orchid, cactus, mushroom, seashell, fossil, meteorite, \
    aurora, rainbow, eclipse, comet, nebula, tornado, waterfall, geyser, iceberg, oasis, \
    canyon, archipelago, lagoon, fjord, savanna";
pub const LIGHT: &str = "golden hour, soft shadows, rim lighting, volumetric light, moonlight, neon glow, \
    studio lighting, overcast, candlelight, backlit, dramatic lighting, god rays, \
    blue hour, harsh noon sun, firelight, bioluminescence, foggy light, twilight, \
    chiaroscuro, diffuse light";
pub const STYLES: &str = "oil painting, watercolor, anime, photograph, concept art, ink drawing, \
    digital painting, pixel art, 3d render, pastel, charcoal sketch, ukiyo-e, art nouveau, \
    baroque, impressionism, cubism, synthwave, low poly, claymation, film still, polaroid, \
    gouache, linocut, comic book, matte painting, vaporwave, gothic, minimalism, \
    surrealism, cinematic";
pub const ARTISTS: &str = "greg rutkowski, alphonse mucha, hokusai, studio ghibli, moebius, james gurney, \
    john singer sargent, rembrandt, monet, klimt, beksinski, syd mead, ralph mcquarrie, \
    makoto shinkai, wlop, artgerm, loish, simon stalenhag, craig mullins, ilya kuvshinov, \
    thomas cole, caravaggio, turner, vermeer, edward hopper";
pub const EXTRAS: &str = "depth of field, bokeh, film grain, wide angle lens, rule of thirds, \
    trending on artstation, vivid colors, muted palette, dynamic pose, symmetry, close-up, \
    full body, cinematic composition, subsurface scattering, ray tracing, octane render, \
    unreal engine, 35mm, macro, panorama, tilt shift, long exposure, double exposure, \
    high contrast, hdr, sharp details, soft focus, fisheye, isometric, aerial view";
pub const NEGATIVE: &str = "watermark, signature, text, mutated hands, missing fingers, extra limbs, disfigured, \
    deformed, blurry, lowres, jpeg artifacts, low quality, bad anatomy, cropped, \
    worst quality, duplicate";
pub const MODELS: &str = "dreamshaper_8, realisticVision_v51, juggernautXL_v9, sd_xl_base_1.0, deliberate_v3, \
    anything_v5, revAnimated_v122, epicrealism_naturalSin";
pub const SAMPLERS: &str = "DPM++ 2M Karras, Euler a, DDIM, DPM++ SDE Karras, UniPC, Euler";
pub const TEMPLATES: &str = "portrait_chat, ocean_dream, tea_ceremony, batch_massive, city_night, forest_spirit, \
    mecha_study, still_life, fantasy_map, street_food, old_masters, space_opera, \
    fashion_shoot, creature_lab, winter_village, desert_caravan, jazz_age, underwater, \
    cozy_interior, heroic_poses";
pub const THEMES: &str = "nuit, urbain, été, hiver, foret, desert, ocean, espace, jardin, ruines";
pub const TAGS: &str = "keeper, portfolio, todo, client, wallpaper, retry, hands, faces, lora-test, print, \
    favourite, compare";

/// The words of a list (comma-separated above so the lists stay compact).
pub fn list(words: &str) -> Vec<&str> {
    words.split(", ").collect()
}
