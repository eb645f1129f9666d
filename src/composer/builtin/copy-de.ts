import { r, type Catalogue } from './line.ts';

/**
 * German copy: formal is "Sie", informal "du". Words from the brief stand after a colon or in a
 * label ("Neu bei Acme: unsere Herbstkollektion"), where German needs no case ending, so a phrase
 * taken from the brief always fits grammatically.
 */
export const DE: Catalogue = {
  'subject.announcement': ['Neu bei {brand}: {topic}', 'Wir stellen vor: {topic}', 'Jetzt entdecken: {topic}'],
  'subject.newsletter': ['Neues von {brand}: {topic}', 'Update von {brand}: {topic}', 'Das Neueste von {brand}'],
  'subject.promo': [r('Nur für Sie: {offer}', 'Nur für dich: {offer}'), 'Angebot von {brand}: {offer}', 'Bis {deadline}: {offer}'],
  'subject.welcome': ['Willkommen bei {brand}', r('Schön, dass Sie da sind', 'Schön, dass du da bist'), 'Willkommen an Bord: die ersten Schritte'],
  'subject.product-update': ['Neu: {topic}', 'Neu bei {brand}: {topic}', 'Gerade erschienen: {topic}'],
  'subject.event': ['Einladung: {topic}', r('Seien Sie dabei: {topic}', 'Sei dabei: {topic}'), 'Termin vormerken: {topic}'],
  'subject.re-engagement': [r('Wir vermissen Sie bei {brand}', 'Wir vermissen dich bei {brand}'), 'Bei {brand} hat sich viel getan', r('Neu bei {brand} seit Ihrem letzten Besuch', 'Neu bei {brand} seit deinem letzten Besuch')],
  'subject.any': [
    'Neuigkeiten von {brand}',
    '{brand}: {topic}',
    'Kurz notiert: {topic}',
    'Etwas Neues von {brand}',
    r('Für Sie: {topic}', 'Für dich: {topic}'),
    'Schon gesehen? {topic}',
    'Im Fokus: {topic}',
    r('Gemacht für Sie: {topic}', 'Gemacht für dich: {topic}'),
  ],

  'preheader.announcement': [
    r('Alles Wichtige zu {topic} und wie Sie gleich loslegen können.', 'Alles Wichtige zu {topic} und wie du gleich loslegen kannst.'),
    r('Das Team von {brand} hat an etwas gearbeitet, das Ihnen gefallen wird.', 'Das Team von {brand} hat an etwas gearbeitet, das dir gefallen wird.'),
  ],
  'preheader.newsletter': ['Geschichten, Tipps und Neuigkeiten von {brand}, kurz und kompakt.', 'Diesmal im Fokus: {topic}. Dazu vieles mehr in dieser Ausgabe.'],
  'preheader.promo': [
    r('{brand} hat ein Angebot für Sie: {offer}. Schauen Sie rein, bevor es endet.', '{brand} hat ein Angebot für dich: {offer}. Schau rein, bevor es endet.'),
    r('Gönnen Sie sich etwas: {offer}, solange das Angebot gilt.', 'Gönn dir etwas: {offer}, solange das Angebot gilt.'),
    r('Gültig bis {deadline}: {offer}. Hier erfahren Sie, wie es geht.', 'Gültig bis {deadline}: {offer}. Hier erfährst du, wie es geht.'),
  ],
  'preheader.welcome': [
    r('Danke für Ihre Anmeldung bei {brand}. So holen Sie das Beste heraus.', 'Danke für deine Anmeldung bei {brand}. So holst du das Beste heraus.'),
    r('Ihre ersten Schritte mit {brand} und ein paar Tipps von unserem Team.', 'Deine ersten Schritte mit {brand} und ein paar Tipps von unserem Team.'),
  ],
  'preheader.product-update': [
    r('Ein kurzer Überblick: {topic}, und was sich damit für Sie ändert.', 'Ein kurzer Überblick: {topic}, und was sich damit für dich ändert.'),
    'Kleine Änderungen, großer Unterschied: Das ist neu bei {brand}.',
  ],
  'preheader.event': [
    r('Alle Details zu {topic} und wie Sie sich Ihren Platz sichern.', 'Alle Details zu {topic} und wie du dir deinen Platz sicherst.'),
    r('Termin: {when}. Hier finden Sie alle Details und die Anmeldung.', 'Termin: {when}. Hier findest du alle Details und die Anmeldung.'),
  ],
  'preheader.re-engagement': [
    r('Lange nicht gesehen! Das ist neu bei {brand} seit Ihrem letzten Besuch.', 'Lange nicht gesehen! Das ist neu bei {brand} seit deinem letzten Besuch.'),
    r('Wir haben {brand} weiterentwickelt. Schauen Sie doch mal wieder vorbei.', 'Wir haben {brand} weiterentwickelt. Schau doch mal wieder vorbei.'),
  ],
  'preheader.any': [
    r('Eine kurze Nachricht vom Team von {brand} mit allem, was Sie wissen müssen.', 'Eine kurze Nachricht vom Team von {brand} mit allem, was du wissen musst.'),
    r('Alle Details finden Sie hier. Antworten Sie einfach, wenn Sie Fragen haben.', 'Alle Details findest du hier. Antworte einfach, wenn du Fragen hast.'),
    'Alles zu {topic} in einer kurzen E-Mail von {brand}.',
  ],

  'heading.announcement': ['Neu bei {brand}: {topic}', 'Wir stellen vor: {topic}'],
  'heading.newsletter': ['Neues von {brand}: {topic}', 'Das ist neu bei {brand}'],
  'heading.promo': [r('Nur für Sie: {offer}', 'Nur für dich: {offer}'), 'Jetzt sichern: {offer}'],
  'heading.promo.urgent': ['Nur bis {deadline}: {offer}', 'Nicht verpassen: {offer}'],
  'heading.welcome': ['Willkommen bei {brand}', r('Schön, dass Sie da sind', 'Schön, dass du da bist')],
  'heading.product-update': ['Neu: {topic}', 'Gerade erschienen: {topic}'],
  'heading.event': ['Einladung: {topic}', r('Seien Sie dabei: {topic}', 'Sei dabei: {topic}')],
  'heading.re-engagement': [r('Wir vermissen Sie', 'Wir vermissen dich'), 'Bei {brand} hat sich viel getan'],

  greeting: [r('Guten Tag {{ contact.first_name | default: "zusammen" }},', 'Hallo {{ contact.first_name | default: "zusammen" }},')],
  'greeting.playful': ['Hey {{ contact.first_name | default: "zusammen" }},'],

  'intro.announcement': [
    r(
      'Wir freuen uns, Ihnen etwas Neues vorzustellen: {topic}. Wir haben es mit einem Ziel entwickelt: Ihnen den Alltag ein wenig leichter zu machen. Wir sind gespannt, was Sie davon halten.',
      'Wir freuen uns, dir etwas Neues vorzustellen: {topic}. Wir haben es mit einem Ziel entwickelt: dir den Alltag ein wenig leichter zu machen. Wir sind gespannt, was du davon hältst.',
    ),
    r(
      'Heute ist es so weit: {topic} ist da. Hier erfahren Sie kurz, was dahintersteckt, warum wir es gemacht haben und wie Sie es gleich ausprobieren können.',
      'Heute ist es so weit: {topic} ist da. Hier erfährst du kurz, was dahintersteckt, warum wir es gemacht haben und wie du es gleich ausprobieren kannst.',
    ),
  ],
  'intro.newsletter': [
    r(
      'Hier ist Ihr neues Update von {brand}. Diesmal im Mittelpunkt: {topic}. Dazu ein paar weitere Dinge, die Ihnen gefallen werden.',
      'Hier ist dein neues Update von {brand}. Diesmal im Mittelpunkt: {topic}. Dazu ein paar weitere Dinge, die dir gefallen werden.',
    ),
    r(
      'Willkommen zur neuen Ausgabe unseres Newsletters. Wir haben Neuigkeiten, Ideen und Geschichten für Sie gesammelt. Den Anfang macht: {topic}.',
      'Willkommen zur neuen Ausgabe unseres Newsletters. Wir haben Neuigkeiten, Ideen und Geschichten für dich gesammelt. Den Anfang macht: {topic}.',
    ),
  ],
  'intro.promo': [
    r(
      'Wir haben etwas Besonderes für Sie: {offer}. So sagen wir Danke, dass Sie zu {brand} gehören. Ein guter Anlass, sich das hier genauer anzusehen: {topic}.',
      'Wir haben etwas Besonderes für dich: {offer}. So sagen wir Danke, dass du zu {brand} gehörst. Ein guter Anlass, dir das hier genauer anzusehen: {topic}.',
    ),
    r(
      'Gute Nachrichten: Ab sofort gilt {offer}. Unser Tipp für Sie, solange das Angebot läuft: {topic}.',
      'Gute Nachrichten: Ab sofort gilt {offer}. Unser Tipp für dich, solange das Angebot läuft: {topic}.',
    ),
  ],
  'intro.promo.urgent': [
    r(
      'Nur noch kurz: Unser Angebot ({offer}) gilt bis {deadline}. Wenn Sie schon etwas im Blick haben, ist jetzt der richtige Moment.',
      'Nur noch kurz: Unser Angebot ({offer}) gilt bis {deadline}. Wenn du schon etwas im Blick hast, ist jetzt der richtige Moment.',
    ),
  ],
  'intro.welcome': [
    r(
      'Vielen Dank für Ihre Anmeldung bei {brand}. Schön, dass Sie da sind. Wir helfen Ihnen gern, gut zu starten.',
      'Vielen Dank für deine Anmeldung bei {brand}. Schön, dass du da bist. Wir helfen dir gern, gut zu starten.',
    ),
    r(
      'Willkommen an Bord! Sie sind jetzt Teil der Community von {brand}, und diese E-Mail hilft Ihnen, sich zurechtzufinden.',
      'Willkommen an Bord! Du bist jetzt Teil der Community von {brand}, und diese E-Mail hilft dir, dich zurechtzufinden.',
    ),
  ],
  'intro.product-update': [
    r(
      'Wir haben daran gearbeitet, {brand} für Sie noch besser zu machen. Das ist neu: {topic}. Hier sehen Sie, was das für Ihren Alltag bedeutet.',
      'Wir haben daran gearbeitet, {brand} für dich noch besser zu machen. Das ist neu: {topic}. Hier siehst du, was das für deinen Alltag bedeutet.',
    ),
    r(
      'Neu für Sie: {topic}. Hier ein kurzer Überblick, was sich geändert hat und wie Sie es ausprobieren können.',
      'Neu für dich: {topic}. Hier ein kurzer Überblick, was sich geändert hat und wie du es ausprobieren kannst.',
    ),
  ],
  'intro.event': [
    r(
      'Wir würden uns freuen, Sie dabei zu haben: {topic}. Eine Gelegenheit, das Team von {brand} kennenzulernen, Neues zu lernen und Menschen mit ähnlichen Interessen zu treffen.',
      'Wir würden uns freuen, dich dabei zu haben: {topic}. Eine Gelegenheit, das Team von {brand} kennenzulernen, Neues zu lernen und Menschen mit ähnlichen Interessen zu treffen.',
    ),
    r(
      'Wir laden Sie herzlich ein: {topic}. Merken Sie sich den Termin, bringen Sie Ihre Fragen mit und freuen Sie sich auf eine inspirierende Zeit mit dem Team von {brand}.',
      'Wir laden dich herzlich ein: {topic}. Merk dir den Termin, bring deine Fragen mit und freu dich auf eine inspirierende Zeit mit dem Team von {brand}.',
    ),
  ],
  'intro.re-engagement': [
    r(
      'Ihr letzter Besuch ist eine Weile her, und bei {brand} hat sich viel getan. Wir würden Ihnen gern zeigen, was neu ist: {topic}.',
      'Dein letzter Besuch ist eine Weile her, und bei {brand} hat sich viel getan. Wir würden dir gern zeigen, was neu ist: {topic}.',
    ),
    r(
      'Sie waren schon länger nicht mehr bei {brand}. Wir waren fleißig und glauben, das hier wird Ihnen gefallen: {topic}.',
      'Du warst schon länger nicht mehr bei {brand}. Wir waren fleißig und glauben, das hier wird dir gefallen: {topic}.',
    ),
  ],

  audience: ['Speziell zusammengestellt für: {audience}.', 'Diese E-Mail richtet sich besonders an: {audience}.'],

  'story.announcement': [
    r(
      'Jedes Detail ist aus dem entstanden, was Sie uns erzählt haben. Nehmen Sie sich ein paar Minuten Zeit, es zu entdecken, und sagen Sie uns Ihre Meinung: Wir lesen jede Antwort.',
      'Jedes Detail ist aus dem entstanden, was du uns erzählt hast. Nimm dir ein paar Minuten Zeit, es zu entdecken, und sag uns deine Meinung: Wir lesen jede Antwort.',
    ),
  ],
  'story.newsletter': [
    r(
      'Hinter jeder Ausgabe steckt ein kleines Team, das liebt, was es tut. Wenn Sie sich ein Thema für das nächste Mal wünschen, antworten Sie einfach auf diese E-Mail.',
      'Hinter jeder Ausgabe steckt ein kleines Team, das liebt, was es tut. Wenn du dir ein Thema für das nächste Mal wünschst, antworte einfach auf diese E-Mail.',
    ),
  ],
  'story.promo': [
    r(
      'Nicht sicher, womit Sie anfangen sollen? Unsere beliebtesten Produkte sind ein guter Start, und unser Team hilft Ihnen gern bei der Auswahl.',
      'Nicht sicher, womit du anfangen sollst? Unsere beliebtesten Produkte sind ein guter Start, und unser Team hilft dir gern bei der Auswahl.',
    ),
  ],
  'story.welcome': [
    r(
      'In den nächsten Wochen schicken wir Ihnen ein paar kurze E-Mails mit Tipps, Ideen und der einen oder anderen Überraschung. Sie können jederzeit einstellen, was Sie erhalten.',
      'In den nächsten Wochen schicken wir dir ein paar kurze E-Mails mit Tipps, Ideen und der einen oder anderen Überraschung. Du kannst jederzeit einstellen, was du erhältst.',
    ),
  ],
  'story.product-update': [
    r(
      'Die Änderungen werden gerade für alle freigeschaltet. Melden Sie sich an, um sie zu sehen, und sagen Sie uns, was Sie denken: Ihr Feedback bestimmt, was wir als Nächstes bauen.',
      'Die Änderungen werden gerade für alle freigeschaltet. Melde dich an, um sie zu sehen, und sag uns, was du denkst: Dein Feedback bestimmt, was wir als Nächstes bauen.',
    ),
  ],
  'story.event': [
    r(
      'Ob Sie {brand} schon lange kennen oder uns gerade erst kennenlernen: Sie werden sich bei uns wohlfühlen. Wir würden uns freuen, Sie dort zu sehen.',
      'Ob du {brand} schon lange kennst oder uns gerade erst kennenlernst: Du wirst dich bei uns wohlfühlen. Wir würden uns freuen, dich dort zu sehen.',
    ),
  ],
  'story.re-engagement': [
    r(
      'Wir würden uns freuen, Sie bei {brand} wiederzusehen. Hier ein kurzer Blick auf das, was auf Sie wartet.',
      'Wir würden uns freuen, dich bei {brand} wiederzusehen. Hier ein kurzer Blick auf das, was auf dich wartet.',
    ),
  ],

  'features.heading.announcement': [r('Darum wird es Ihnen gefallen', 'Darum wird es dir gefallen')],
  'features.heading.newsletter': ['Lesenswert'],
  'features.heading.promo': [r('Das erwartet Sie', 'Das erwartet dich')],
  'features.heading.welcome': [r('Darauf können Sie sich freuen', 'Darauf kannst du dich freuen')],
  'features.heading.product-update': ['Das ist neu'],
  'features.heading.event': [r('Das erwartet Sie', 'Das erwartet dich')],
  'features.heading.re-engagement': [r('Neu seit Ihrem letzten Besuch', 'Neu seit deinem letzten Besuch')],
  'features.item.announcement': [
    r('Gestaltet rund um das, was Ihnen wichtig ist', 'Gestaltet rund um das, was dir wichtig ist'),
    'Vom ersten Tag an einfach zu nutzen',
    r('Mit dem Team von {brand} an Ihrer Seite, wann immer Sie uns brauchen', 'Mit dem Team von {brand} an deiner Seite, wann immer du uns brauchst'),
  ],
  'features.item.newsletter': ['Die Geschichten, die unseren Leserinnen und Lesern am besten gefallen haben', r('Praktische Tipps, die Sie sofort nutzen können', 'Praktische Tipps, die du sofort nutzen kannst'), 'Neuigkeiten aus dem Team von {brand}'],
  'features.item.promo': ['Ein guter Moment, etwas Neues auszuprobieren', 'In wenigen Klicks eingelöst', r('Freundliche Hilfe vom Team von {brand}, wenn Sie sie brauchen', 'Freundliche Hilfe vom Team von {brand}, wenn du sie brauchst')],
  'features.item.welcome': [
    r('Tipps und Ideen, damit Sie das Beste aus {brand} herausholen', 'Tipps und Ideen, damit du das Beste aus {brand} herausholst'),
    'Erste Einblicke in das, woran wir arbeiten',
    'Gelegentliche Angebote nur für unsere Community',
  ],
  'features.item.product-update': [
    'Ein reibungsloseres, schnelleres Erlebnis im Alltag',
    r('Kleine Details, verfeinert nach Ihrem Feedback', 'Kleine Details, verfeinert nach deinem Feedback'),
    r('Alles, was Sie schon nutzen, genau dort, wo Sie es erwarten', 'Alles, was du schon nutzt, genau dort, wo du es erwartest'),
  ],
  'features.item.event': ['Inspirierende Vorträge und Momente zum Mitmachen', 'Zeit, das Team von {brand} und andere Gäste kennenzulernen', r('Viel Raum für Ihre Fragen', 'Viel Raum für deine Fragen')],
  'features.item.re-engagement': ['Frische Ideen und Verbesserungen bei {brand}', 'Ein einfacherer Weg, das Richtige zu finden', 'Das gleiche freundliche Team, bereit zu helfen'],

  'offer.heading': [r('So lösen Sie Ihr Angebot ein', 'So löst du dein Angebot ein')],
  'offer.code': [r('Geben Sie an der Kasse den Code **{code}** ein.', 'Gib an der Kasse den Code **{code}** ein.')],
  'offer.deadline': ['Das Angebot gilt bis {deadline}.'],
  'offer.body': [r('Über den Link unten sehen Sie, was das Angebot alles umfasst.', 'Über den Link unten siehst du, was das Angebot alles umfasst.')],

  'details.heading': ['Alle Details'],
  'details.what': ['**Was:** {topic}'],
  'details.when': ['**Wann:** {when}'],
  'details.where': ['**Wo:** {where}'],

  'steps.heading': [r('So starten Sie', 'So startest du')],
  'steps.item': [
    r('Schauen Sie sich bei {brand} um und entdecken Sie, was zu Ihnen passt.', 'Schau dich bei {brand} um und entdecke, was zu dir passt.'),
    r('Passen Sie Ihre Einstellungen jederzeit über den Link am Ende dieser E-Mail an.', 'Pass deine Einstellungen jederzeit über den Link am Ende dieser E-Mail an.'),
    r('Antworten Sie einfach auf diese E-Mail, wenn Sie eine Frage haben: Wir helfen gern.', 'Antworte einfach auf diese E-Mail, wenn du eine Frage hast: Wir helfen gern.'),
  ],

  'highlights.heading': ['In dieser Ausgabe'],
  'highlights.item': ['Im Fokus: {topic}', 'Neuigkeiten und Ideen aus dem Team von {brand}', 'Ein Tipp für diese Woche'],

  'testimonial.quote': [
    'Ich hätte nicht gedacht, dass es mir so gut gefällt. {brand} gehört jetzt fest zu meinem Alltag.',
    'Einfach, durchdacht und wirklich hilfreich. Ich empfehle {brand} allen, die ich kenne.',
    'Das Team von {brand} hört wirklich zu. Das merkt man an jedem Detail.',
  ],
  'testimonial.author': ['Aus der Community von {brand}'],

  'faq.heading': ['Fragen und Antworten'],
  'faq.code': [
    r(
      '**Wie löse ich den Rabatt ein?**\nGeben Sie an der Kasse den Code **{code}** ein, und der Rabatt wird auf Ihre Bestellung angerechnet.',
      '**Wie löse ich den Rabatt ein?**\nGib an der Kasse den Code **{code}** ein, und der Rabatt wird auf deine Bestellung angerechnet.',
    ),
  ],
  'faq.deadline': ['**Wie lange gilt das Angebot?**\nDas Angebot gilt bis {deadline}.'],
  'faq.audience': ['**Für wen ist das gedacht?**\nGedacht für: {audience}. Aber alle sind herzlich willkommen.'],
  'faq.start': [r('**Wie fange ich an?**\nFolgen Sie einfach dem Button in dieser E-Mail. Es dauert nur einen Moment.', '**Wie fange ich an?**\nFolge einfach dem Button in dieser E-Mail. Es dauert nur einen Moment.')],
  'faq.when': [r('**Wann geht es los?**\nMerken Sie sich den Termin: {when}.', '**Wann geht es los?**\nMerk dir den Termin: {when}.')],
  'faq.where': ['**Wo findet es statt?**\nOrt: {where}.'],
  'faq.questions': [
    r(
      '**Was, wenn ich weitere Fragen habe?**\nAntworten Sie einfach auf diese E-Mail. Ein Mensch aus dem Team von {brand} meldet sich bei Ihnen.',
      '**Was, wenn ich weitere Fragen habe?**\nAntworte einfach auf diese E-Mail. Ein Mensch aus dem Team von {brand} meldet sich bei dir.',
    ),
  ],
  'faq.change': ['**Kann ich ändern, welche E-Mails ich bekomme?**\nJa, jederzeit über den Link zu den Einstellungen am Ende dieser E-Mail.'],

  'closing.announcement': ['Neugierig geworden? Ein Klick genügt, um es selbst zu sehen.'],
  'closing.newsletter': ['Das war es für diese Ausgabe. Danke fürs Lesen und bis zum nächsten Mal.'],
  'closing.promo': [r('Warten Sie nicht zu lange: Das Angebot gilt nicht für immer.', 'Warte nicht zu lange: Das Angebot gilt nicht für immer.')],
  'closing.welcome': [
    r('Schön, dass Sie da sind. Wann immer Sie bereit sind: Der erste Schritt ist nur einen Klick entfernt.', 'Schön, dass du da bist. Wann immer du bereit bist: Der erste Schritt ist nur einen Klick entfernt.'),
  ],
  'closing.product-update': [r('Probieren Sie es gleich aus und sagen Sie uns, was Sie denken.', 'Probier es gleich aus und sag uns, was du denkst.')],
  'closing.event': [r('Wir freuen uns auf Sie. Sichern Sie sich gleich Ihren Platz.', 'Wir freuen uns auf dich. Sichere dir gleich deinen Platz.')],
  'closing.re-engagement': [r('Schauen Sie doch mal wieder vorbei: Wir glauben, es wird Ihnen gefallen.', 'Schau doch mal wieder vorbei: Wir glauben, es wird dir gefallen.')],
  'closing.urgent': [r('Die Zeit ist knapp, verpassen Sie es nicht.', 'Die Zeit ist knapp, verpass es nicht.')],
  'closing.playful': [r('Na los, werfen Sie einen Blick hinein. Es lohnt sich, versprochen.', 'Na los, wirf einen Blick hinein. Es lohnt sich, versprochen.')],
  'closing.calm': [r('Lassen Sie sich Zeit und schauen Sie rein, wann immer es Ihnen passt.', 'Lass dir Zeit und schau rein, wann immer es dir passt.')],

  signoff: [r('Mit freundlichen Grüßen\nIhr Team von {brand}', 'Viele Grüße\nDein Team von {brand}')],
  'signoff.playful': [r('Bis bald\nIhr Team von {brand}', 'Bis bald\nDein Team von {brand}')],
  'signoff.calm': [r('Herzliche Grüße\nIhr Team von {brand}', 'Herzliche Grüße\nDein Team von {brand}')],

  footer: [r('Sie erhalten diese E-Mail, weil Sie Neuigkeiten von {brand} abonniert haben.', 'Du erhältst diese E-Mail, weil du Neuigkeiten von {brand} abonniert hast.')],

  'cta.shop': ['Zum Shop'],
  'cta.offer': ['Zum Angebot'],
  'cta.book': ['Besuch buchen'],
  'cta.demo': ['Demo buchen'],
  'cta.register': ['Platz sichern'],
  'cta.read': ['Ganzen Beitrag lesen'],
  'cta.try': ['Jetzt ausprobieren'],
  'cta.download': ['App holen'],
  'cta.start': ['Jetzt loslegen'],
  'cta.explore': ['Jetzt entdecken'],
  'cta.upgrade': ['Tarife ansehen'],
  'cta.update': ['Neuigkeiten ansehen'],
  'cta.join': ['Ich bin dabei'],

  'topic.announcement': ['etwas Neues'],
  'topic.newsletter': ['Einblicke hinter die Kulissen'],
  'topic.promo': ['unsere Lieblingsstücke'],
  'topic.welcome': ['{brand}'],
  'topic.product-update': ['die neuesten Verbesserungen'],
  'topic.event': ['unsere nächste Veranstaltung'],
  'topic.re-engagement': ['das Neueste bei {brand}'],

  'where.online': ['Online'],
  header: ['**{brand}**'],
};
