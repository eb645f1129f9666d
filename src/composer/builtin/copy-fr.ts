import { r, type Catalogue, type Line } from './line.ts';

/**
 * French copy: formal is "vous", informal "tu". Phrases from the brief stand after a colon or as a
 * direct object, and no sentence needs an agreement with the reader's gender (no "inscrit(e)").
 * Written with plain spaces before « : ; ! ? »; `frenchSpacing` makes them non-breaking.
 */
const LINES: Record<string, Line[]> = {
  'subject.announcement': ['Nouveau chez {brand} : {topic}', r('Découvrez {topic}', 'Découvre {topic}'), 'Voici {topic}'],
  'subject.newsletter': ['Du nouveau chez {brand} : {topic}', r('Votre point {brand} : {topic}', 'Ton point {brand} : {topic}'), 'Les dernières nouvelles de {brand}'],
  'subject.promo': [r('Rien que pour vous : {offer}', 'Rien que pour toi : {offer}'), 'Offre {brand} : {offer}', "Jusqu'au {deadline} : {offer}"],
  'subject.welcome': ['Bienvenue chez {brand}', r('Ravis de vous compter parmi nous', 'Ravis de te compter parmi nous'), r('Bienvenue : vos premiers pas', 'Bienvenue : tes premiers pas')],
  'subject.product-update': ['Nouveau : {topic}', 'Du nouveau dans {brand} : {topic}', 'Tout juste sorti : {topic}'],
  'subject.event': ['Invitation : {topic}', r('Rejoignez-nous : {topic}', 'Rejoins-nous : {topic}'), "À noter dans l'agenda : {topic}"],
  'subject.re-engagement': [r('Vous nous manquez', 'Tu nous manques'), 'Beaucoup de nouveautés chez {brand}', r('Ce que vous avez manqué chez {brand}', 'Ce que tu as manqué chez {brand}')],
  'subject.any': [
    'Des nouvelles de {brand}',
    '{brand} : {topic}',
    'En bref : {topic}',
    'Du nouveau chez {brand}',
    r('Pour vous : {topic}', 'Pour toi : {topic}'),
    'Déjà vu ? {topic}',
    'Zoom sur {topic}',
    r('Pensé pour vous : {topic}', 'Pensé pour toi : {topic}'),
  ],

  'preheader.announcement': [
    r("Tout ce qu'il faut savoir sur {topic}, et comment en profiter dès aujourd'hui.", "Tout ce qu'il faut savoir sur {topic}, et comment en profiter dès aujourd'hui."),
    r("L'équipe {brand} a préparé quelque chose qui devrait vous plaire.", "L'équipe {brand} a préparé quelque chose qui devrait te plaire."),
  ],
  'preheader.newsletter': ['Histoires, conseils et nouveautés de {brand}, à lire en quelques minutes.', 'Au programme de ce numéro : {topic}, et bien plus encore.'],
  'preheader.promo': [
    r('{brand} a une offre pour vous : {offer}. À découvrir sans tarder.', '{brand} a une offre pour toi : {offer}. À découvrir sans tarder.'),
    r("Faites-vous plaisir : {offer}, tant que l'offre dure.", "Fais-toi plaisir : {offer}, tant que l'offre dure."),
    r('Date limite : {deadline}. Découvrez {offer} dès maintenant.', 'Date limite : {deadline}. Découvre {offer} dès maintenant.'),
  ],
  'preheader.welcome': [
    r('Merci pour votre inscription chez {brand}. Voici comment bien commencer.', 'Merci pour ton inscription chez {brand}. Voici comment bien commencer.'),
    r('Vos premiers pas avec {brand}, et quelques conseils de notre équipe.', 'Tes premiers pas avec {brand}, et quelques conseils de notre équipe.'),
  ],
  'preheader.product-update': [
    r("Un rapide tour d'horizon de {topic} et de ce qui change pour vous.", "Un rapide tour d'horizon de {topic} et de ce qui change pour toi."),
    'Petits changements, grande différence : voici les nouveautés de {brand}.',
  ],
  'preheader.event': [
    r('Tous les détails sur {topic}, et comment réserver votre place.', 'Tous les détails sur {topic}, et comment réserver ta place.'),
    "Rendez-vous : {when}. Tous les détails et l'inscription sont ici.",
  ],
  'preheader.re-engagement': [
    r('Cela fait un moment ! Voici les nouveautés de {brand} depuis votre dernière visite.', 'Cela fait un moment ! Voici les nouveautés de {brand} depuis ta dernière visite.'),
    r('Nous avons fait évoluer {brand}. Revenez jeter un œil quand vous le souhaitez.', 'Nous avons fait évoluer {brand}. Reviens jeter un œil quand tu le souhaites.'),
  ],
  'preheader.any': [
    r("Un petit mot de l'équipe {brand}, avec tout ce que vous devez savoir.", "Un petit mot de l'équipe {brand}, avec tout ce que tu dois savoir."),
    r('Tous les détails sont ici. Répondez-nous si vous avez des questions.', 'Tous les détails sont ici. Réponds-nous si tu as des questions.'),
    'Tout sur {topic} dans un court e-mail de {brand}.',
  ],

  'heading.announcement': ['Nouveau chez {brand} : {topic}', r('Découvrez {topic}', 'Découvre {topic}')],
  'heading.newsletter': ['Des nouvelles de {brand} : {topic}', 'Quoi de neuf chez {brand}'],
  'heading.promo': [r('Rien que pour vous : {offer}', 'Rien que pour toi : {offer}'), r('Profitez-en : {offer}', 'Profites-en : {offer}')],
  'heading.promo.urgent': ["Jusqu'au {deadline} seulement : {offer}", 'À ne pas manquer : {offer}'],
  'heading.welcome': ['Bienvenue chez {brand}', r('Ravis de vous compter parmi nous', 'Ravis de te compter parmi nous')],
  'heading.product-update': ['Nouveau : {topic}', 'Tout juste sorti : {topic}'],
  'heading.event': ['Invitation : {topic}', r('Rejoignez-nous : {topic}', 'Rejoins-nous : {topic}')],
  'heading.re-engagement': [r('Vous nous manquez', 'Tu nous manques'), 'Beaucoup de nouveautés chez {brand}'],

  greeting: [r('Bonjour {{ contact.first_name | default: "à tous" }},', 'Salut {{ contact.first_name | default: "à tous" }},')],
  'greeting.playful': ['Coucou {{ contact.first_name | default: "à tous" }},'],

  'intro.announcement': [
    r(
      "Nous sommes ravis de vous présenter quelque chose de nouveau : {topic}. Nous l'avons conçu avec un objectif : vous simplifier la vie. Nous avons hâte de savoir ce que vous en pensez.",
      "Nous sommes ravis de te présenter quelque chose de nouveau : {topic}. Nous l'avons conçu avec un objectif : te simplifier la vie. Nous avons hâte de savoir ce que tu en penses.",
    ),
    r(
      "Le grand jour est arrivé : voici {topic}. Découvrez en quelques lignes ce que c'est, pourquoi nous l'avons créé et comment l'essayer dès maintenant.",
      "Le grand jour est arrivé : voici {topic}. Découvre en quelques lignes ce que c'est, pourquoi nous l'avons créé et comment l'essayer dès maintenant.",
    ),
  ],
  'intro.newsletter': [
    r(
      'Voici votre nouveau point de {brand}. Au programme cette fois : {topic}, et quelques autres sujets qui devraient vous plaire.',
      'Voici ton nouveau point de {brand}. Au programme cette fois : {topic}, et quelques autres sujets qui devraient te plaire.',
    ),
    r(
      'Bienvenue dans ce nouveau numéro de notre newsletter. Nous avons rassemblé pour vous des nouvelles, des idées et des histoires, à commencer par : {topic}.',
      'Bienvenue dans ce nouveau numéro de notre newsletter. Nous avons rassemblé pour toi des nouvelles, des idées et des histoires, à commencer par : {topic}.',
    ),
  ],
  'intro.promo': [
    r(
      "Nous avons une attention particulière pour vous : {offer}. L'occasion idéale de découvrir {topic}, et notre façon de vous remercier de faire partie de {brand}.",
      "Nous avons une attention particulière pour toi : {offer}. L'occasion idéale de découvrir {topic}, et notre façon de te remercier de faire partie de {brand}.",
    ),
    r(
      "Bonne nouvelle : en ce moment, profitez de {offer}. Prenez le temps de découvrir {topic} tant que l'offre dure.",
      "Bonne nouvelle : en ce moment, profite de {offer}. Prends le temps de découvrir {topic} tant que l'offre dure.",
    ),
  ],
  'intro.promo.urgent': [
    r(
      "Petit rappel : notre offre ({offer}) est valable jusqu'au {deadline}. Si vous aviez repéré quelque chose, c'est le moment.",
      "Petit rappel : notre offre ({offer}) est valable jusqu'au {deadline}. Si tu avais repéré quelque chose, c'est le moment.",
    ),
  ],
  'intro.welcome': [
    r(
      'Merci pour votre inscription chez {brand}. Nous sommes ravis de vous accueillir et nous vous aiderons volontiers à bien démarrer.',
      "Merci pour ton inscription chez {brand}. Nous sommes ravis de t'accueillir et nous t'aiderons volontiers à bien démarrer.",
    ),
    r(
      'Bienvenue à bord ! Vous faites désormais partie de la communauté {brand}, et cet e-mail va vous aider à trouver vos repères.',
      "Bienvenue à bord ! Tu fais désormais partie de la communauté {brand}, et cet e-mail va t'aider à trouver tes repères.",
    ),
  ],
  'intro.product-update': [
    r(
      'Nous avons travaillé dur pour améliorer {brand}. Voici la nouveauté : {topic}. Découvrez ce que cela change pour vous au quotidien.',
      'Nous avons travaillé dur pour améliorer {brand}. Voici la nouveauté : {topic}. Découvre ce que cela change pour toi au quotidien.',
    ),
    r(
      "Nouveau pour vous : {topic}. Voici un aperçu rapide de ce qui a changé et de la façon de l'essayer.",
      "Nouveau pour toi : {topic}. Voici un aperçu rapide de ce qui a changé et de la façon de l'essayer.",
    ),
  ],
  'intro.event': [
    r(
      "Nous serions ravis de vous compter parmi nous : {topic}. L'occasion de rencontrer l'équipe {brand}, d'apprendre de nouvelles choses et d'échanger avec des personnes qui partagent vos centres d'intérêt.",
      "Nous serions ravis de te compter parmi nous : {topic}. L'occasion de rencontrer l'équipe {brand}, d'apprendre de nouvelles choses et d'échanger avec des personnes qui partagent tes centres d'intérêt.",
    ),
    r(
      "Nous avons le plaisir de vous inviter : {topic}. Notez la date, préparez vos questions et venez passer un moment inspirant avec l'équipe {brand}.",
      "Nous avons le plaisir de t'inviter : {topic}. Note la date, prépare tes questions et viens passer un moment inspirant avec l'équipe {brand}.",
    ),
  ],
  'intro.re-engagement': [
    r(
      'Votre dernière visite remonte à un moment, et beaucoup de choses ont changé chez {brand}. Nous aimerions vous montrer la nouveauté : {topic}.',
      'Ta dernière visite remonte à un moment, et beaucoup de choses ont changé chez {brand}. Nous aimerions te montrer la nouveauté : {topic}.',
    ),
    r(
      "Cela fait un moment que nous n'avons pas eu de vos nouvelles. Nous n'avons pas chômé chez {brand}, et nous pensons que ceci va vous plaire : {topic}.",
      "Cela fait un moment que nous n'avons pas eu de tes nouvelles. Nous n'avons pas chômé chez {brand}, et nous pensons que ceci va te plaire : {topic}.",
    ),
  ],

  audience: ['Préparé tout spécialement pour : {audience}.', 'Cet e-mail s’adresse tout particulièrement à ce public : {audience}.'],

  'story.announcement': [
    r(
      'Chaque détail est né de ce que vous nous avez dit. Prenez quelques minutes pour le découvrir et donnez-nous votre avis : nous lisons chaque réponse.',
      'Chaque détail est né de ce que tu nous as dit. Prends quelques minutes pour le découvrir et donne-nous ton avis : nous lisons chaque réponse.',
    ),
  ],
  'story.newsletter': [
    r(
      'Derrière chaque numéro, il y a une petite équipe passionnée. Si vous souhaitez que nous abordions un sujet la prochaine fois, répondez simplement à cet e-mail.',
      'Derrière chaque numéro, il y a une petite équipe passionnée. Si tu souhaites que nous abordions un sujet la prochaine fois, réponds simplement à cet e-mail.',
    ),
  ],
  'story.promo': [
    r(
      "Vous ne savez pas par où commencer ? Nos produits les plus appréciés sont un excellent point de départ, et notre équipe se fera un plaisir de vous aider à choisir.",
      "Tu ne sais pas par où commencer ? Nos produits les plus appréciés sont un excellent point de départ, et notre équipe se fera un plaisir de t'aider à choisir.",
    ),
  ],
  'story.welcome': [
    r(
      'Dans les semaines à venir, nous vous enverrons quelques courts e-mails avec des conseils, des idées et quelques surprises. Vous pouvez choisir à tout moment ce que vous recevez.',
      "Dans les semaines à venir, nous t'enverrons quelques courts e-mails avec des conseils, des idées et quelques surprises. Tu peux choisir à tout moment ce que tu reçois.",
    ),
  ],
  'story.product-update': [
    r(
      'Ces changements sont en cours de déploiement pour tout le monde. Connectez-vous pour les voir et dites-nous ce que vous en pensez : vos retours guident nos prochaines améliorations.',
      'Ces changements sont en cours de déploiement pour tout le monde. Connecte-toi pour les voir et dis-nous ce que tu en penses : tes retours guident nos prochaines améliorations.',
    ),
  ],
  'story.event': [
    r(
      'Que vous connaissiez {brand} depuis longtemps ou que vous nous découvriez, vous vous sentirez comme chez vous. Nous serions ravis de vous y voir.',
      "Que tu connaisses {brand} depuis longtemps ou que tu nous découvres, tu te sentiras comme chez toi. Nous serions ravis de t'y voir.",
    ),
  ],
  'story.re-engagement': [
    r('Nous serions ravis de vous revoir chez {brand}. Voici un aperçu de ce qui vous attend.', "Nous serions ravis de te revoir chez {brand}. Voici un aperçu de ce qui t'attend."),
  ],

  'features.heading.announcement': [r('Pourquoi vous allez adorer', 'Pourquoi tu vas adorer')],
  'features.heading.newsletter': ['Nos coups de cœur'],
  'features.heading.promo': [r('Ce qui vous attend', "Ce qui t'attend")],
  'features.heading.welcome': [r('Ce qui vous attend', "Ce qui t'attend")],
  'features.heading.product-update': ['Les nouveautés'],
  'features.heading.event': ['Au programme'],
  'features.heading.re-engagement': [r('Du nouveau depuis votre dernière visite', 'Du nouveau depuis ta dernière visite')],
  'features.item.announcement': [
    r('Pensé autour de ce qui compte pour vous', 'Pensé autour de ce qui compte pour toi'),
    'Simple à prendre en main dès le premier jour',
    r("L'équipe {brand} à vos côtés dès que vous en avez besoin", "L'équipe {brand} à tes côtés dès que tu en as besoin"),
  ],
  'features.item.newsletter': ['Les histoires préférées de nos lecteurs', 'Des conseils pratiques à appliquer tout de suite', "Les nouvelles de l'équipe {brand}"],
  'features.item.promo': ["Le bon moment pour essayer quelque chose de nouveau", 'Facile à utiliser en quelques clics', "L'aide bienveillante de l'équipe {brand} si besoin"],
  'features.item.welcome': ['Des conseils et des idées pour profiter pleinement de {brand}', 'Un aperçu de nos projets en cours', 'Des offres ponctuelles réservées à notre communauté'],
  'features.item.product-update': [
    'Une expérience plus fluide et plus rapide au quotidien',
    r('Des détails peaufinés grâce à vos retours', 'Des détails peaufinés grâce à tes retours'),
    r("Tout ce que vous utilisez déjà, là où vous l'attendez", "Tout ce que tu utilises déjà, là où tu l'attends"),
  ],
  'features.item.event': ["Des interventions inspirantes et des moments d'échange", "Le temps de rencontrer l'équipe {brand} et les autres invités", r('Tout le temps qu’il faut pour vos questions', 'Tout le temps qu’il faut pour tes questions')],
  'features.item.re-engagement': [
    'De nouvelles idées et des améliorations partout chez {brand}',
    r("Un moyen plus simple de trouver ce qu'il vous faut", "Un moyen plus simple de trouver ce qu'il te faut"),
    r('La même équipe sympathique, prête à vous aider', "La même équipe sympathique, prête à t'aider"),
  ],

  'offer.heading': [r('Comment profiter de votre offre', 'Comment profiter de ton offre')],
  'offer.code': [r('Saisissez le code **{code}** lors du paiement.', 'Saisis le code **{code}** lors du paiement.')],
  'offer.deadline': ["L'offre est valable jusqu'au {deadline}."],
  'offer.body': [r("Suivez le lien ci-dessous pour découvrir tout ce que comprend l'offre.", "Suis le lien ci-dessous pour découvrir tout ce que comprend l'offre.")],

  'details.heading': ['Les infos pratiques'],
  'details.what': ['**Quoi :** {topic}'],
  'details.when': ['**Quand :** {when}'],
  'details.where': ['**Où :** {where}'],

  'steps.heading': ['Pour bien commencer'],
  'steps.item': [
    r('Faites un tour chez {brand} et découvrez ce qui vous correspond.', 'Fais un tour chez {brand} et découvre ce qui te correspond.'),
    r('Ajustez vos préférences à tout moment grâce au lien en bas de cet e-mail.', 'Ajuste tes préférences à tout moment grâce au lien en bas de cet e-mail.'),
    r('Répondez simplement à cet e-mail si vous avez une question : nous sommes là pour vous aider.', "Réponds simplement à cet e-mail si tu as une question : nous sommes là pour t'aider."),
  ],

  'highlights.heading': ['Dans ce numéro'],
  'highlights.item': ['Zoom sur {topic}', "Nouvelles et idées de l'équipe {brand}", 'Un conseil à mettre en pratique cette semaine'],

  'testimonial.quote': [
    "Je ne pensais pas l'apprécier autant. {brand} fait désormais partie de mon quotidien.",
    'Simple, réfléchi et vraiment utile. Je recommande {brand} à tout mon entourage.',
    "L'équipe de {brand} est vraiment à l'écoute. Cela se ressent dans chaque détail.",
  ],
  'testimonial.author': ['Un membre de la communauté {brand}'],

  'faq.heading': ['Questions fréquentes'],
  'faq.code': [
    r(
      '**Comment utiliser ma réduction ?**\nSaisissez le code **{code}** lors du paiement et la réduction s’applique à votre commande.',
      '**Comment utiliser ma réduction ?**\nSaisis le code **{code}** lors du paiement et la réduction s’applique à ta commande.',
    ),
  ],
  'faq.deadline': ["**Jusqu'à quand l'offre est-elle valable ?**\nL'offre est valable jusqu'au {deadline}."],
  'faq.audience': ["**À qui s'adresse-t-il ?**\nNous l'avons pensé pour ce public : {audience}. Mais tout le monde est le bienvenu."],
  'faq.start': [r("**Comment commencer ?**\nCliquez simplement sur le bouton de cet e-mail. Cela ne prend qu'un instant.", "**Comment commencer ?**\nClique simplement sur le bouton de cet e-mail. Cela ne prend qu'un instant.")],
  'faq.when': [r('**Quand cela a-t-il lieu ?**\nNotez la date : {when}.', '**Quand cela a-t-il lieu ?**\nNote la date : {when}.')],
  'faq.where': ['**Où cela se passe-t-il ?**\nLieu : {where}.'],
  'faq.questions': [
    r(
      "**Et si j'ai d'autres questions ?**\nRépondez simplement à cet e-mail. Une personne de l'équipe {brand} vous répondra.",
      "**Et si j'ai d'autres questions ?**\nRéponds simplement à cet e-mail. Une personne de l'équipe {brand} te répondra.",
    ),
  ],
  'faq.change': ['**Puis-je choisir les e-mails que je reçois ?**\nOui, à tout moment, grâce au lien vers les préférences en bas de cet e-mail.'],

  'closing.announcement': [r('Envie de le voir par vous-même ? Un clic suffit.', 'Envie de le voir par toi-même ? Un clic suffit.')],
  'closing.newsletter': [r('C’est tout pour ce numéro. Merci de votre lecture et à bientôt.', 'C’est tout pour ce numéro. Merci de ta lecture et à bientôt !')],
  'closing.promo': [r("N'attendez pas trop : l'offre ne durera pas éternellement.", "N'attends pas trop : l'offre ne durera pas éternellement.")],
  'closing.welcome': [r("Quand vous le souhaitez, votre première étape n'est qu'à un clic.", "Quand tu le souhaites, ta première étape n'est qu'à un clic.")],
  'closing.product-update': [r("Essayez-le dès aujourd'hui et dites-nous ce que vous en pensez.", "Essaie-le dès aujourd'hui et dis-nous ce que tu en penses.")],
  'closing.event': [r('Nous avons hâte de vous voir. Réservez votre place dès maintenant.', 'Nous avons hâte de te voir. Réserve ta place dès maintenant.')],
  'closing.re-engagement': [r('Revenez jeter un œil : nous pensons que cela va vous plaire.', 'Reviens jeter un œil : nous pensons que cela va te plaire.')],
  'closing.urgent': [r('Le temps presse, ne passez pas à côté.', 'Le temps presse, ne passe pas à côté.')],
  'closing.playful': [r('Allez, jetez un œil. Promis, ça vaut le détour.', 'Allez, jette un œil. Promis, ça vaut le détour.')],
  'closing.calm': [r('Prenez votre temps et jetez un œil quand cela vous convient.', 'Prends ton temps et jette un œil quand cela te convient.')],

  signoff: [r("Bien cordialement,\nL'équipe {brand}", "À bientôt,\nL'équipe {brand}")],
  'signoff.playful': ["À très vite,\nL'équipe {brand}"],
  'signoff.calm': ["Chaleureusement,\nL'équipe {brand}"],

  footer: [r('Vous recevez cet e-mail suite à votre inscription aux actualités de {brand}.', 'Tu reçois cet e-mail suite à ton inscription aux actualités de {brand}.')],

  'cta.shop': ['Voir la boutique'],
  'cta.offer': ["Voir l'offre"],
  'cta.book': ['Réserver une visite'],
  'cta.demo': ['Réserver une démo'],
  'cta.register': ['Réserver ma place'],
  'cta.read': ["Lire l'article complet"],
  'cta.try': ['Essayer maintenant'],
  'cta.download': ["Télécharger l'app"],
  'cta.start': ['Commencer'],
  'cta.explore': ['Découvrir'],
  'cta.upgrade': ['Voir les offres'],
  'cta.update': ['Voir les nouveautés'],
  'cta.join': ['Je participe'],
  'cta.billing': ['Mettre à jour mon paiement'],
  'cta.feedback': ['Donner mon avis'],

  'topic.announcement': ['notre nouveauté'],
  'topic.newsletter': ['les coulisses de notre équipe'],
  'topic.promo': ['nos coups de cœur'],
  'topic.welcome': ['{brand}'],
  'topic.product-update': ['nos dernières améliorations'],
  'topic.event': ['notre prochain événement'],
  'topic.re-engagement': ['les nouveautés de {brand}'],

  'where.online': ['En ligne'],
  header: ['**{brand}**'],

  // ---- series (S6.1) ----
  'series.back': ['Comme promis dans notre dernier e-mail : {current}.', r('La dernière fois, nous vous l’avions annoncé : {current}.', 'La dernière fois, nous te l’avions annoncé : {current}.')],
  'series.next': ['Dans notre prochain e-mail : {next}.', r('Surveillez votre boîte de réception. Bientôt : {next}.', 'Surveille ta boîte de réception. Bientôt : {next}.')],
  'series.last': [r('Voici le dernier e-mail de cette série. Merci de nous avoir lus, et n’oubliez pas : vous pouvez répondre à chacun de nos e-mails.', 'Voici le dernier e-mail de cette série. Merci de nous avoir lus, et n’oublie pas : tu peux répondre à chacun de nos e-mails.')],
  'series.preheader': ['Dans cet e-mail : {current}.', "Aujourd'hui chez {brand} : {current}."],

  'series.reply': [r('Des questions ? Répondez simplement à cet e-mail : une vraie personne de l’équipe {brand} lit chaque message.', 'Des questions ? Réponds simplement à cet e-mail : une vraie personne de l’équipe {brand} lit chaque message.')],
  'series.more.payment': [r('Si vous avez déjà mis à jour vos informations, vous pouvez ignorer cet e-mail. Vous n’avez rien d’autre à changer.', 'Si tu as déjà mis à jour tes informations, tu peux ignorer cet e-mail. Tu n’as rien d’autre à changer.')],
  'series.more.retry': [
    r(
      'Cela ne prend qu’une minute : suivez le bouton ci-dessous, vérifiez vos informations de carte et enregistrez-les. Si c’est déjà fait, merci, et ignorez ce rappel.',
      'Cela ne prend qu’une minute : suis le bouton ci-dessous, vérifie tes informations de carte et enregistre-les. Si c’est déjà fait, merci, et ignore ce rappel.',
    ),
  ],
  'series.more.final': [
    r(
      'Nous serions désolés de vous voir partir. Si quelque chose ne vous convient pas dans votre abonnement, dites-le-nous : nous ferons de notre mieux pour vous aider.',
      'Nous serions désolés de te voir partir. Si quelque chose ne te convient pas dans ton abonnement, dis-le-nous : nous ferons de notre mieux pour t’aider.',
    ),
  ],

  'series.about.hello': ['un mot de bienvenue de la part de {brand}'],
  'series.about.story': ["l'histoire de {brand}"],
  'series.about.tips': ['quelques conseils pour profiter pleinement de {brand}'],
  'series.about.setup': [r('vos premiers pas avec {brand}', 'tes premiers pas avec {brand}')],
  'series.about.feature': ['un zoom sur {topic}'],
  'series.about.proof': ['ce que nos clients disent de {brand}'],
  'series.about.checkin': ['une petite question pour savoir comment ça se passe'],
  'series.about.offer': [r('une petite attention rien que pour vous', 'une petite attention rien que pour toi')],
  'series.about.reminder': ['un dernier rappel avant la fin'],
  'series.about.teaser': ['un avant-goût de {topic}'],
  'series.about.reveal': ['tout sur {topic}'],
  'series.about.missyou': ["un petit mot de l'équipe {brand}"],
  'series.about.news': ['les nouveautés de {brand}'],
  'series.about.goodbye': [r('une question sur les e-mails que vous recevez de notre part', 'une question sur les e-mails que tu reçois de notre part')],
  'series.about.thanks': [r('un grand merci pour votre commande', 'un grand merci pour ta commande')],
  'series.about.picks': [r('quelques idées pour accompagner votre commande', 'quelques idées pour accompagner ta commande')],
  'series.about.invite': [r('votre invitation personnelle', 'ton invitation personnelle')],
  'series.about.agenda': ['le programme en détail'],
  'series.about.countdown': ['un petit rappel avant le jour J'],
  'series.about.followup': ['un retour sur ce beau moment'],
  'series.about.payment': [r('une information sur votre paiement', 'une information sur ton paiement')],
  'series.about.retry': [r('un rappel concernant votre paiement', 'un rappel concernant ton paiement')],
  'series.about.final': [r('un dernier rappel pour votre paiement', 'un dernier rappel pour ton paiement')],

  'series.subject.hello': ['Bienvenue chez {brand}', r('Ravis de vous compter parmi nous', 'Ravis de te compter parmi nous')],
  'series.subject.story': ["L'histoire de {brand}", 'Les coulisses de {brand}'],
  'series.subject.tips': ["Les conseils de l'équipe {brand}", 'Profiter pleinement de {brand}'],
  'series.subject.setup': [r('Vos premiers pas avec {brand}', 'Tes premiers pas avec {brand}'), 'Bien démarrer en quelques minutes'],
  'series.subject.feature': ['Zoom sur {topic}', r('Ce que {brand} peut faire pour vous', 'Ce que {brand} peut faire pour toi')],
  'series.subject.proof': ['Ce que nos clients en disent', 'Pourquoi ils adorent {brand}'],
  'series.subject.checkin': ['Comment ça se passe ?', 'Une petite question de {brand}'],
  'series.subject.offer': [r('Rien que pour vous : {offer}', 'Rien que pour toi : {offer}'), r('Une petite attention pour vous', 'Une petite attention pour toi')],
  'series.subject.reminder': ['Dernière chance : {offer}', 'À ne pas manquer : {topic}'],
  'series.subject.teaser': ['Du nouveau arrive bientôt', 'Bientôt chez {brand}'],
  'series.subject.reveal': ['Voici {topic}', r('Découvrez {topic}', 'Découvre {topic}')],
  'series.subject.missyou': [r('Vous nous manquez', 'Tu nous manques'), 'Cela fait un moment'],
  'series.subject.news': ['Quoi de neuf chez {brand}', 'Beaucoup de nouveautés chez {brand}'],
  'series.subject.goodbye': ['On reste en contact ?', r('Souhaitez-vous encore de nos nouvelles ?', 'Tu veux encore de nos nouvelles ?')],
  'series.subject.thanks': [r('Merci pour votre commande', 'Merci pour ta commande'), "Merci d'avoir choisi {brand}"],
  'series.subject.picks': [r('Sélectionné pour vous par {brand}', 'Sélectionné pour toi par {brand}'), r('Des idées pour votre commande', 'Des idées pour ta commande')],
  'series.subject.invite': ['Invitation : {topic}', r('Rejoignez-nous : {topic}', 'Rejoins-nous : {topic}')],
  'series.subject.agenda': ['Au programme : {topic}', r('Ce qui vous attend : {topic}', 'Ce qui t’attend : {topic}')],
  'series.subject.countdown': ["C'est bientôt : {topic}", 'Rappel : {topic}'],
  'series.subject.followup': [r('Merci pour votre présence : {topic}', 'Merci pour ta présence : {topic}'), 'Retour sur {topic}'],
  'series.subject.payment': [r("Votre paiement n'a pas abouti", "Ton paiement n'a pas abouti"), r('Vérifiez vos informations de paiement', 'Vérifie tes informations de paiement')],
  'series.subject.retry': [r('Rappel concernant votre paiement', 'Rappel concernant ton paiement'), r('Votre paiement est toujours en attente', 'Ton paiement est toujours en attente')],
  'series.subject.final': [r('Dernier rappel pour votre paiement', 'Dernier rappel pour ton paiement'), r('Votre paiement attend toujours', 'Ton paiement attend toujours')],

  'series.intro.hello': [
    r(
      'Merci pour votre inscription chez {brand}. Dans les prochains e-mails, nous vous aiderons à en profiter pleinement, un court e-mail à la fois.',
      'Merci pour ton inscription chez {brand}. Dans les prochains e-mails, nous t’aiderons à en profiter pleinement, un court e-mail à la fois.',
    ),
  ],
  'series.intro.story': [
    'Toute marque commence par une idée. La nôtre était simple : faire quelque chose que nous aimons, le faire bien et le partager avec des personnes qui y tiennent autant que nous. Cette idée guide encore tout ce que nous faisons chez {brand}.',
  ],
  'series.intro.tips': ['Voici quelques conseils que notre équipe applique au quotidien. Aucun ne prend plus de quelques minutes, et ensemble, ils font une vraie différence.'],
  'series.intro.setup': [
    r(
      'Bien démarrer avec {brand} ne prend que quelques minutes. Voici vos premiers pas, et où trouver de l’aide si besoin.',
      'Bien démarrer avec {brand} ne prend que quelques minutes. Voici tes premiers pas, et où trouver de l’aide si besoin.',
    ),
  ],
  'series.intro.feature': [
    r(
      "Aujourd'hui, nous vous montrons de plus près ce que {brand} peut faire pour vous : ce qu'il y a derrière, pourquoi nous l'avons conçu et comment vous simplifier la vie.",
      "Aujourd'hui, nous te montrons de plus près ce que {brand} peut faire pour toi : ce qu'il y a derrière, pourquoi nous l'avons conçu et comment te simplifier la vie.",
    ),
  ],
  'series.intro.proof': ["Inutile de nous croire sur parole. Voici ce qu'en disent les personnes qui utilisent déjà {brand}."],
  'series.intro.checkin': [
    r(
      'Vous êtes avec {brand} depuis quelque temps, et nous aimerions savoir comment ça se passe. Qu’est-ce qui vous plaît, et que pourrions-nous améliorer ?',
      'Tu es avec {brand} depuis quelque temps, et nous aimerions savoir comment ça se passe. Qu’est-ce qui te plaît, et que pourrions-nous améliorer ?',
    ),
  ],
  'series.intro.offer': [
    r('Pour vous remercier de faire partie de {brand}, nous avons quelque chose de spécial pour vous : {offer}.', 'Pour te remercier de faire partie de {brand}, nous avons quelque chose de spécial pour toi : {offer}.'),
    r('Nous avons sélectionné quelques coups de cœur qui devraient vous plaire. Jetez un œil et faites-vous plaisir.', 'Nous avons sélectionné quelques coups de cœur qui devraient te plaire. Jette un œil et fais-toi plaisir.'),
  ],
  'series.intro.reminder': [
    r('Petit rappel : {offer}, mais plus pour très longtemps. Si quelque chose vous faisait envie, c’est le moment.', 'Petit rappel : {offer}, mais plus pour très longtemps. Si quelque chose te faisait envie, c’est le moment.'),
    r('Petit rappel avant la fin : si vous vouliez y jeter un œil, c’est le moment.', 'Petit rappel avant la fin : si tu voulais y jeter un œil, c’est le moment.'),
  ],
  'series.intro.teaser': [
    r(
      "Chez {brand}, nous préparons quelque chose de nouveau, et nous avons hâte de vous le montrer. Nous ne dévoilons pas tout pour l'instant, mais voici un premier indice.",
      "Chez {brand}, nous préparons quelque chose de nouveau, et nous avons hâte de te le montrer. Nous ne dévoilons pas tout pour l'instant, mais voici un premier indice.",
    ),
  ],
  'series.intro.reveal': [
    r('Le moment est venu : voici {topic}. Tout a été pensé pour vous, et nous espérons que vous allez adorer.', 'Le moment est venu : voici {topic}. Tout a été pensé pour toi, et nous espérons que tu vas adorer.'),
  ],
  'series.intro.missyou': [
    r(
      'Votre dernière visite chez {brand} remonte à un moment, et vous nous avez manqué. Il s’est passé beaucoup de choses depuis, et nous aimerions vous les montrer.',
      'Ta dernière visite chez {brand} remonte à un moment, et tu nous as manqué. Il s’est passé beaucoup de choses depuis, et nous aimerions te les montrer.',
    ),
  ],
  'series.intro.news': [
    r(
      'Nous avons été très occupés depuis votre dernière visite. Voici les nouveautés de {brand} qui devraient vous plaire le plus.',
      'Nous avons été très occupés depuis ta dernière visite. Voici les nouveautés de {brand} qui devraient te plaire le plus.',
    ),
  ],
  'series.intro.goodbye': [
    r(
      'Nous ne voulons pas encombrer votre boîte de réception avec des e-mails que vous ne lisez pas. Si vous souhaitez continuer à recevoir des nouvelles de {brand}, vous n’avez rien à faire. Si vous préférez recevoir moins d’e-mails, ou aucun, vous pouvez le changer en un instant.',
      'Nous ne voulons pas encombrer ta boîte de réception avec des e-mails que tu ne lis pas. Si tu souhaites continuer à recevoir des nouvelles de {brand}, tu n’as rien à faire. Si tu préfères recevoir moins d’e-mails, ou aucun, tu peux le changer en un instant.',
    ),
  ],
  'series.intro.thanks': [
    r(
      'Merci pour votre commande ! Nous la préparons pour vous, et voici ce qui se passe ensuite et où trouver de l’aide si besoin.',
      'Merci pour ta commande ! Nous la préparons pour toi, et voici ce qui se passe ensuite et où trouver de l’aide si besoin.',
    ),
  ],
  'series.intro.picks': [
    r(
      'Nous avons choisi quelques articles qui vont bien avec votre dernière commande. Aucune pression : juste des idées qui pourraient vous plaire.',
      'Nous avons choisi quelques articles qui vont bien avec ta dernière commande. Aucune pression : juste des idées qui pourraient te plaire.',
    ),
  ],
  'series.intro.invite': [
    r(
      'Nous serions ravis de vous accueillir : {topic}. Une occasion d’apprendre, de rencontrer l’équipe {brand} et d’échanger avec des personnes qui partagent vos centres d’intérêt.',
      'Nous serions ravis de t’accueillir : {topic}. Une occasion d’apprendre, de rencontrer l’équipe {brand} et d’échanger avec des personnes qui partagent tes centres d’intérêt.',
    ),
  ],
  'series.intro.agenda': [
    r(
      'Voici le programme, pour que vous sachiez à quoi vous attendre et que vous profitiez pleinement de ce moment avec nous.',
      'Voici le programme, pour que tu saches à quoi t’attendre et que tu profites pleinement de ce moment avec nous.',
    ),
  ],
  'series.intro.countdown': [
    r("C'est bientôt le grand jour. Voici à nouveau tous les détails, pour que vous ayez tout sous la main.", "C'est bientôt le grand jour. Voici à nouveau tous les détails, pour que tu aies tout sous la main."),
  ],
  'series.intro.followup': [
    r(
      'Merci pour votre présence ! Nous espérons que vous avez passé un aussi bon moment que nous, et nous aimerions avoir votre avis.',
      'Merci pour ta présence ! Nous espérons que tu as passé un aussi bon moment que nous, et nous aimerions avoir ton avis.',
    ),
  ],
  'series.intro.payment': [
    r(
      'Nous avons tenté de traiter votre dernier paiement à {brand}, mais il n’a pas abouti. Cela arrive parfois, souvent à cause d’une carte expirée. Mettre à jour vos informations ne prend qu’une minute.',
      'Nous avons tenté de traiter ton dernier paiement à {brand}, mais il n’a pas abouti. Cela arrive parfois, souvent à cause d’une carte expirée. Mettre à jour tes informations ne prend qu’une minute.',
    ),
  ],
  'series.intro.retry': [
    r(
      'Votre paiement à {brand} est toujours en attente. Pour que tout continue sans interruption, merci de mettre à jour vos informations de paiement.',
      'Ton paiement à {brand} est toujours en attente. Pour que tout continue sans interruption, merci de mettre à jour tes informations de paiement.',
    ),
  ],
  'series.intro.final': [
    r(
      'Ceci est notre dernier rappel concernant votre paiement en attente à {brand}. Merci de mettre à jour vos informations de paiement rapidement pour éviter toute interruption.',
      'Ceci est notre dernier rappel concernant ton paiement en attente à {brand}. Merci de mettre à jour tes informations de paiement rapidement pour éviter toute interruption.',
    ),
  ],
};

/** French typography: a non-breaking space before « : ; ! ? », so they never start a line. */
function frenchSpacing(lines: Record<string, Line[]>): Catalogue {
  const fix = (s: string) => s.replace(/ ([:;!?])/g, '\u00a0$1');
  return Object.fromEntries(Object.entries(lines).map(([key, variants]) => [key, variants.map((l) => (typeof l === 'string' ? fix(l) : { formal: fix(l.formal), informal: fix(l.informal) }))]));
}

export const FR: Catalogue = frenchSpacing(LINES);
