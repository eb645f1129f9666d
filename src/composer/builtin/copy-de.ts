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
  'cta.billing': ['Zahlungsdaten aktualisieren'],
  'cta.feedback': ['Feedback geben'],

  'topic.announcement': ['etwas Neues'],
  'topic.newsletter': ['Einblicke hinter die Kulissen'],
  'topic.promo': ['unsere Lieblingsstücke'],
  'topic.welcome': ['{brand}'],
  'topic.product-update': ['die neuesten Verbesserungen'],
  'topic.event': ['unsere nächste Veranstaltung'],
  'topic.re-engagement': ['das Neueste bei {brand}'],

  'where.online': ['Online'],
  header: ['**{brand}**'],

  // ---- series (S6.1) ----
  'series.back': ['Wie in unserer letzten E-Mail versprochen: {current}.', 'Letztes Mal haben wir es angekündigt, heute ist es so weit: {current}.'],
  'series.next': ['In unserer nächsten E-Mail: {next}.', r('Schauen Sie bald wieder in Ihr Postfach. Als Nächstes: {next}.', 'Schau bald wieder in dein Postfach. Als Nächstes: {next}.')],
  'series.last': [r('Das ist die letzte E-Mail dieser Reihe. Danke fürs Lesen, und denken Sie daran: Sie können auf jede unserer E-Mails antworten.', 'Das ist die letzte E-Mail dieser Reihe. Danke fürs Lesen, und denk daran: Du kannst auf jede unserer E-Mails antworten.')],
  'series.preheader': ['In dieser E-Mail: {current}.', 'Heute von {brand}: {current}.'],

  'series.reply': [r('Fragen dazu? Antworten Sie einfach auf diese E-Mail: Ein Mensch aus dem Team von {brand} liest jede Nachricht.', 'Fragen dazu? Antworte einfach auf diese E-Mail: Ein Mensch aus dem Team von {brand} liest jede Nachricht.')],
  'series.more.payment': [r('Wenn Sie Ihre Daten bereits aktualisiert haben, können Sie diese E-Mail ignorieren. Sonst müssen Sie nichts ändern.', 'Wenn du deine Daten bereits aktualisiert hast, kannst du diese E-Mail ignorieren. Sonst musst du nichts ändern.')],
  'series.more.retry': [
    r(
      'Es dauert nur eine Minute: Folgen Sie dem Button unten, prüfen Sie Ihre Kartendaten und speichern Sie sie. Wenn Sie das schon getan haben, danke, und ignorieren Sie diese Erinnerung bitte.',
      'Es dauert nur eine Minute: Folge dem Button unten, prüfe deine Kartendaten und speichere sie. Wenn du das schon getan hast, danke, und ignoriere diese Erinnerung bitte.',
    ),
  ],
  'series.more.final': [
    r(
      'Es würde uns leidtun, Sie zu verlieren. Wenn etwas an Ihrem Abo nicht für Sie passt, sagen Sie es uns: Wir tun unser Bestes, um zu helfen.',
      'Es würde uns leidtun, dich zu verlieren. Wenn etwas an deinem Abo nicht für dich passt, sag es uns: Wir tun unser Bestes, um zu helfen.',
    ),
  ],

  'series.about.hello': ['ein herzliches Willkommen bei {brand}'],
  'series.about.story': ['die Geschichte hinter {brand}'],
  'series.about.tips': [r('ein paar Tipps, mit denen Sie mehr aus {brand} machen', 'ein paar Tipps, mit denen du mehr aus {brand} machst')],
  'series.about.setup': [r('Ihre ersten Schritte mit {brand}', 'deine ersten Schritte mit {brand}')],
  'series.about.feature': ['ein genauerer Blick auf {topic}'],
  'series.about.proof': ['was andere über {brand} sagen'],
  'series.about.checkin': [r('eine kurze Frage, wie es Ihnen bisher gefällt', 'eine kurze Frage, wie es dir bisher gefällt')],
  'series.about.offer': [r('eine kleine Überraschung für Sie', 'eine kleine Überraschung für dich')],
  'series.about.reminder': ['eine letzte Erinnerung, bevor es vorbei ist'],
  'series.about.teaser': ['ein erster Vorgeschmack auf {topic}'],
  'series.about.reveal': ['alles über {topic}'],
  'series.about.missyou': ['ein persönlicher Gruß vom Team von {brand}'],
  'series.about.news': ['die Neuigkeiten bei {brand}'],
  'series.about.goodbye': [r('eine Frage zu den E-Mails, die Sie von uns bekommen', 'eine Frage zu den E-Mails, die du von uns bekommst')],
  'series.about.thanks': [r('ein Dankeschön für Ihre Bestellung', 'ein Dankeschön für deine Bestellung')],
  'series.about.picks': [r('ein paar Ideen passend zu Ihrer Bestellung', 'ein paar Ideen passend zu deiner Bestellung')],
  'series.about.invite': [r('Ihre persönliche Einladung', 'deine persönliche Einladung')],
  'series.about.agenda': ['das Programm im Überblick'],
  'series.about.countdown': ['eine kurze Erinnerung vor dem großen Tag'],
  'series.about.followup': ['ein kleiner Rückblick'],
  'series.about.payment': [r('ein Hinweis zu Ihrer Zahlung', 'ein Hinweis zu deiner Zahlung')],
  'series.about.retry': [r('eine Erinnerung an Ihre offene Zahlung', 'eine Erinnerung an deine offene Zahlung')],
  'series.about.final': [r('eine letzte Erinnerung an Ihre Zahlung', 'eine letzte Erinnerung an deine Zahlung')],

  'series.subject.hello': ['Willkommen bei {brand}', r('Schön, dass Sie da sind', 'Schön, dass du da bist')],
  'series.subject.story': ['Die Geschichte hinter {brand}', 'Wie {brand} entstanden ist'],
  'series.subject.tips': ['Tipps vom Team von {brand}', 'Mehr aus {brand} machen'],
  'series.subject.setup': [r('Ihre ersten Schritte mit {brand}', 'Deine ersten Schritte mit {brand}'), 'In wenigen Minuten startklar'],
  'series.subject.feature': ['Im Fokus: {topic}', r('Was {brand} für Sie tun kann', 'Was {brand} für dich tun kann')],
  'series.subject.proof': ['Was unsere Kunden sagen', 'Warum andere {brand} lieben'],
  'series.subject.checkin': [r('Wie gefällt es Ihnen bisher?', 'Wie gefällt es dir bisher?'), 'Eine kurze Frage von {brand}'],
  'series.subject.offer': [r('Nur für Sie: {offer}', 'Nur für dich: {offer}'), r('Eine kleine Überraschung für Sie', 'Eine kleine Überraschung für dich')],
  'series.subject.reminder': ['Letzte Gelegenheit: {offer}', 'Nicht verpassen: {topic}'],
  'series.subject.teaser': ['Bald gibt es etwas Neues', 'Demnächst bei {brand}'],
  'series.subject.reveal': ['Wir stellen vor: {topic}', 'Jetzt da: {topic}'],
  'series.subject.missyou': [r('Wir vermissen Sie', 'Wir vermissen dich'), 'Lange nicht gesehen'],
  'series.subject.news': ['Neu bei {brand}', 'Bei {brand} hat sich viel getan'],
  'series.subject.goodbye': ['Sollen wir in Kontakt bleiben?', r('Möchten Sie weiter von uns hören?', 'Möchtest du weiter von uns hören?')],
  'series.subject.thanks': [r('Danke für Ihre Bestellung', 'Danke für deine Bestellung'), r('Danke, dass Sie {brand} gewählt haben', 'Danke, dass du {brand} gewählt hast')],
  'series.subject.picks': [r('Für Sie ausgewählt von {brand}', 'Für dich ausgewählt von {brand}'), r('Ideen passend zu Ihrer Bestellung', 'Ideen passend zu deiner Bestellung')],
  'series.subject.invite': ['Einladung: {topic}', r('Seien Sie dabei: {topic}', 'Sei dabei: {topic}')],
  'series.subject.agenda': ['Das Programm: {topic}', r('Das erwartet Sie: {topic}', 'Das erwartet dich: {topic}')],
  'series.subject.countdown': ['Bald ist es so weit: {topic}', 'Erinnerung: {topic}'],
  'series.subject.followup': [r('Danke für Ihre Teilnahme: {topic}', 'Danke fürs Dabeisein: {topic}'), 'Rückblick: {topic}'],
  'series.subject.payment': [r('Ihre Zahlung ist nicht durchgegangen', 'Deine Zahlung ist nicht durchgegangen'), r('Bitte prüfen Sie Ihre Zahlungsdaten', 'Bitte prüfe deine Zahlungsdaten')],
  'series.subject.retry': [r('Erinnerung an Ihre Zahlung', 'Erinnerung an deine Zahlung'), r('Ihre Zahlung ist noch offen', 'Deine Zahlung ist noch offen')],
  'series.subject.final': [r('Letzte Erinnerung an Ihre Zahlung', 'Letzte Erinnerung an deine Zahlung'), r('Ihre Zahlung wartet noch', 'Deine Zahlung wartet noch')],

  'series.intro.hello': [
    r(
      'Danke, dass Sie sich bei {brand} angemeldet haben. In den nächsten E-Mails helfen wir Ihnen, das Beste daraus zu machen, eine kurze E-Mail nach der anderen.',
      'Danke, dass du dich bei {brand} angemeldet hast. In den nächsten E-Mails helfen wir dir, das Beste daraus zu machen, eine kurze E-Mail nach der anderen.',
    ),
  ],
  'series.intro.story': [
    'Jede Marke beginnt mit einer Idee. Unsere war einfach: etwas machen, das wir lieben, es gut machen und es mit Menschen teilen, denen es genauso viel bedeutet wie uns. Diese Idee leitet bis heute alles, was wir bei {brand} tun.',
  ],
  'series.intro.tips': ['Hier sind ein paar Tipps, auf die unser Team schwört. Keiner dauert länger als ein paar Minuten, und zusammen machen sie einen echten Unterschied.'],
  'series.intro.setup': [
    r(
      'Der Start mit {brand} dauert nur wenige Minuten. So gehen Sie die ersten Schritte, und hier finden Sie Hilfe, wenn Sie sie brauchen.',
      'Der Start mit {brand} dauert nur wenige Minuten. So gehst du die ersten Schritte, und hier findest du Hilfe, wenn du sie brauchst.',
    ),
  ],
  'series.intro.feature': [
    r(
      'Heute zeigen wir Ihnen genauer, was {brand} für Sie tun kann: was dahintersteckt, warum wir es entwickelt haben und wie es Ihren Alltag leichter macht.',
      'Heute zeigen wir dir genauer, was {brand} für dich tun kann: was dahintersteckt, warum wir es entwickelt haben und wie es deinen Alltag leichter macht.',
    ),
  ],
  'series.intro.proof': [
    r('Sie müssen uns nicht beim Wort nehmen. Hier erzählen Menschen, die {brand} schon nutzen, was sie davon halten.', 'Du musst uns nicht beim Wort nehmen. Hier erzählen Menschen, die {brand} schon nutzen, was sie davon halten.'),
  ],
  'series.intro.checkin': [
    r(
      'Sie sind jetzt schon eine Weile bei {brand}, und wir würden gern wissen, wie es Ihnen gefällt. Was mögen Sie, und was können wir besser machen?',
      'Du bist jetzt schon eine Weile bei {brand}, und wir würden gern wissen, wie es dir gefällt. Was magst du, und was können wir besser machen?',
    ),
  ],
  'series.intro.offer': [
    r('Als Dankeschön dafür, dass Sie Teil von {brand} sind, haben wir etwas Besonderes für Sie: {offer}.', 'Als Dankeschön dafür, dass du Teil von {brand} bist, haben wir etwas Besonderes für dich: {offer}.'),
    r('Wir haben ein paar Lieblingsstücke für Sie ausgesucht. Schauen Sie rein und gönnen Sie sich etwas Neues.', 'Wir haben ein paar Lieblingsstücke für dich ausgesucht. Schau rein und gönn dir etwas Neues.'),
  ],
  'series.intro.reminder': [
    r('Nur noch kurze Zeit: {offer}. Wenn Sie schon länger etwas im Blick haben, ist jetzt der richtige Moment.', 'Nur noch kurze Zeit: {offer}. Wenn du schon länger etwas im Blick hast, ist jetzt der richtige Moment.'),
    r('Eine kurze Erinnerung, bevor es vorbei ist: Wenn Sie noch einen Blick darauf werfen wollten, ist jetzt der richtige Moment.', 'Eine kurze Erinnerung, bevor es vorbei ist: Wenn du noch einen Blick darauf werfen wolltest, ist jetzt der richtige Moment.'),
  ],
  'series.intro.teaser': [
    r(
      'Bei {brand} arbeiten wir an etwas Neuem, und wir können es kaum erwarten, es Ihnen zu zeigen. Noch verraten wir nicht alles, aber hier ist ein erster Hinweis.',
      'Bei {brand} arbeiten wir an etwas Neuem, und wir können es kaum erwarten, es dir zu zeigen. Noch verraten wir nicht alles, aber hier ist ein erster Hinweis.',
    ),
  ],
  'series.intro.reveal': [
    r('Endlich ist es da: {topic}. Wir haben es mit Blick auf Sie entwickelt und hoffen, dass es Ihnen gefällt.', 'Endlich ist es da: {topic}. Wir haben es mit Blick auf dich entwickelt und hoffen, dass es dir gefällt.'),
  ],
  'series.intro.missyou': [
    r(
      'Ihr letzter Besuch bei {brand} ist schon eine Weile her, und wir haben Sie vermisst. Seitdem ist viel passiert, und wir würden Ihnen gern zeigen, was neu ist.',
      'Dein letzter Besuch bei {brand} ist schon eine Weile her, und wir haben dich vermisst. Seitdem ist viel passiert, und wir würden dir gern zeigen, was neu ist.',
    ),
  ],
  'series.intro.news': [
    r('Seit Ihrem letzten Besuch waren wir fleißig. Hier sind die Neuerungen bei {brand}, die Ihnen am besten gefallen dürften.', 'Seit deinem letzten Besuch waren wir fleißig. Hier sind die Neuerungen bei {brand}, die dir am besten gefallen dürften.'),
  ],
  'series.intro.goodbye': [
    r(
      'Wir möchten Ihr Postfach nicht mit E-Mails füllen, die Sie nicht lesen. Wenn Sie weiter von {brand} hören möchten, müssen Sie nichts tun. Wenn Sie lieber weniger oder gar keine E-Mails bekommen möchten, können Sie das in einem Moment ändern.',
      'Wir möchten dein Postfach nicht mit E-Mails füllen, die du nicht liest. Wenn du weiter von {brand} hören möchtest, musst du nichts tun. Wenn du lieber weniger oder gar keine E-Mails bekommen möchtest, kannst du das in einem Moment ändern.',
    ),
  ],
  'series.intro.thanks': [
    r(
      'Danke für Ihre Bestellung! Wir bereiten alles für Sie vor und möchten Ihnen kurz sagen, wie es weitergeht und wo Sie Hilfe finden.',
      'Danke für deine Bestellung! Wir bereiten alles für dich vor und möchten dir kurz sagen, wie es weitergeht und wo du Hilfe findest.',
    ),
  ],
  'series.intro.picks': [
    r(
      'Wir haben ein paar Dinge ausgesucht, die gut zu Ihrer letzten Bestellung passen. Ganz ohne Druck: nur Ideen, die Ihnen gefallen könnten.',
      'Wir haben ein paar Dinge ausgesucht, die gut zu deiner letzten Bestellung passen. Ganz ohne Druck: nur Ideen, die dir gefallen könnten.',
    ),
  ],
  'series.intro.invite': [
    r(
      'Wir würden uns freuen, Sie dabeizuhaben: {topic}. Eine Gelegenheit, Neues zu lernen, das Team von {brand} zu treffen und Menschen mit ähnlichen Interessen kennenzulernen.',
      'Wir würden uns freuen, dich dabeizuhaben: {topic}. Eine Gelegenheit, Neues zu lernen, das Team von {brand} zu treffen und Menschen mit ähnlichen Interessen kennenzulernen.',
    ),
  ],
  'series.intro.agenda': [
    r('Hier ist unser Programm, damit Sie wissen, was Sie erwartet, und das Beste aus Ihrer Zeit bei uns machen können.', 'Hier ist unser Programm, damit du weißt, was dich erwartet, und das Beste aus deiner Zeit bei uns machen kannst.'),
  ],
  'series.intro.countdown': [r('Bald ist es so weit. Hier noch einmal alle Details, damit Sie alles zur Hand haben.', 'Bald ist es so weit. Hier noch einmal alle Details, damit du alles zur Hand hast.')],
  'series.intro.followup': [
    r('Danke, dass Sie dabei waren! Wir hoffen, es hat Ihnen so gut gefallen wie uns, und wir würden gern hören, wie Sie es fanden.', 'Danke, dass du dabei warst! Wir hoffen, es hat dir so gut gefallen wie uns, und wir würden gern hören, wie du es fandest.'),
  ],
  'series.intro.payment': [
    r(
      'Wir haben versucht, Ihre letzte Zahlung an {brand} einzuziehen, aber sie ist nicht durchgegangen. Das passiert manchmal, oft weil eine Karte abgelaufen ist. Ihre Daten zu aktualisieren dauert nur eine Minute.',
      'Wir haben versucht, deine letzte Zahlung an {brand} einzuziehen, aber sie ist nicht durchgegangen. Das passiert manchmal, oft weil eine Karte abgelaufen ist. Deine Daten zu aktualisieren dauert nur eine Minute.',
    ),
  ],
  'series.intro.retry': [
    r('Ihre Zahlung an {brand} ist noch offen. Damit alles ohne Unterbrechung weiterläuft, aktualisieren Sie bitte Ihre Zahlungsdaten.', 'Deine Zahlung an {brand} ist noch offen. Damit alles ohne Unterbrechung weiterläuft, aktualisiere bitte deine Zahlungsdaten.'),
  ],
  'series.intro.final': [
    r(
      'Dies ist unsere letzte Erinnerung an Ihre offene Zahlung an {brand}. Bitte aktualisieren Sie Ihre Zahlungsdaten bald, damit nichts unterbrochen wird.',
      'Dies ist unsere letzte Erinnerung an deine offene Zahlung an {brand}. Bitte aktualisiere deine Zahlungsdaten bald, damit nichts unterbrochen wird.',
    ),
  ],
};
